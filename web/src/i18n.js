// i18n: the interface's words in Chinese (the default) and English.
//
// t('nav.dashboard') looks the key up in the current language, then in
// Chinese; {name} placeholders are filled from the second argument. The
// choice is kept in localStorage. Data (region, chain and project names) is
// not translated; the state, rule, milestone and role names the server sends
// in Chinese are translated here by their keys.
import { ref, watchEffect } from 'vue'
import zh from './locales/zh-CN.js'
import en from './locales/en.js'

const messages = { 'zh-CN': zh, en }
const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('zhaoshang.lang') : null
export const locale = ref(stored === 'en' ? 'en' : 'zh-CN')

watchEffect(() => {
  document.documentElement.lang = locale.value
  try {
    localStorage.setItem('zhaoshang.lang', locale.value)
  } catch {
    // private mode: the choice lasts for this page only
  }
})

// Keys are dotted paths; a leaf's own name may hold dots ("actions.project.create").
function lookup(dict, key) {
  if (dict === undefined || dict === null || typeof dict !== 'object') return undefined
  if (Object.prototype.hasOwnProperty.call(dict, key)) return dict[key]
  const dot = key.indexOf('.')
  return dot < 0 ? undefined : lookup(dict[key.slice(0, dot)], key.slice(dot + 1))
}

export function t(key, params) {
  let s = lookup(messages[locale.value], key)
  if (s === undefined) s = lookup(zh, key)
  if (s === undefined) return key
  if (params && typeof s === 'string')
    s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] === undefined ? m : String(params[k])))
  return s
}

export function setLocale(lang) {
  locale.value = lang === 'en' ? 'en' : 'zh-CN'
}

export const isEnglish = () => locale.value === 'en'
