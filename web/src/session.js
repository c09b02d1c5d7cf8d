// session: the logged-in user, shared by every screen.
//
// state.user is the object POST/GET /api/session return ({user, display_name,
// role, role_label, region, chain, csrf_token, password_expired, ...}) or null.
// state.today is the server's "today" (it honours ZHAOSHANG_NOW), used for
// default dates instead of the browser's clock.
import { reactive } from 'vue'
import { api, setCsrfToken } from './api.js'

export const state = reactive({ user: null, loaded: false, today: null })

function adopt(user) {
  state.user = user
  setCsrfToken(user ? user.csrf_token : null)
}

// Asks the server who is logged in (after a page load); resolves either way.
export async function loadSession() {
  try {
    adopt(await api('GET', '/api/session', { noRedirect: true }))
  } catch {
    adopt(null)
  }
  await loadToday()
  state.loaded = true
  return state.user
}

export async function loadToday() {
  if (state.today) return state.today
  try {
    const health = await api('GET', '/api/health', { noRedirect: true })
    state.today = health.today
  } catch {
    const d = new Date(Date.now() + 8 * 3600 * 1000)
    state.today = d.toISOString().slice(0, 10)
  }
  return state.today
}

export async function login(username, password) {
  const user = await api('POST', '/api/session', { json: { username, password }, noRedirect: true })
  adopt(user)
  state.loaded = true
  return user
}

export async function logout() {
  try {
    await api('DELETE', '/api/session', { noRedirect: true })
  } catch {
    // The session may already have ended; the page goes to login anyway.
  }
  adopt(null)
}

// Forgets the user locally (after a 401 from any call).
export function forget() {
  adopt(null)
}

export function passwordChanged() {
  if (state.user) state.user.password_expired = false
}
