// The front end's entry: Vue, Element Plus, the router and the session hooks.
import { createApp } from 'vue'
import ElementPlus from './element.js'
import './style.css'
import App from './App.vue'
import { router } from './router.js'
import { setAuthHandlers } from './api.js'
import { forget } from './session.js'

setAuthHandlers({
  unauthenticated() {
    forget()
    const here = router.currentRoute.value
    if (here.name !== 'login')
      router.push({ name: 'login', query: here.fullPath && here.fullPath !== '/' ? { redirect: here.fullPath } : {} })
  },
  passwordExpired() {
    router.push({ name: 'account', query: { expired: '1' } })
  },
})

// Under automation (the browser tests) nothing moves: no transitions to wait for.
if (navigator.webdriver) document.documentElement.classList.add('no-motion')

createApp(App).use(ElementPlus).use(router).mount('#app')
