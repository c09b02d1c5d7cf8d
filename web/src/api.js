// api: every call to the JSON API under /api/ goes through here.
//
// Sends the session cookie (same origin) and, on writes, the X-CSRF-Token the
// login returned. A 401 sends the user back to the login page (through the
// handler that main.js installs); every failure is thrown as an ApiError that
// carries the server's error object (code, message, field, details).

let csrfToken = null
let onUnauthenticated = () => {}
let onPasswordExpired = () => {}

export function setCsrfToken(token) {
  csrfToken = token || null
}

export function setAuthHandlers(handlers) {
  onUnauthenticated = handlers.unauthenticated || onUnauthenticated
  onPasswordExpired = handlers.passwordExpired || onPasswordExpired
}

export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {}
    super(err.message || `HTTP ${status}`)
    this.status = status
    this.code = err.code || null
    this.field = err.field || null
    this.details = err.details || []
    this.body = body
  }
}

// Builds "/api/x?a=1&b=2" from an object, leaving out empty values.
export function withQuery(path, query) {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null || v === '') continue
    params.append(k, String(v))
  }
  const s = params.toString()
  return s ? `${path}?${s}` : path
}

// Calls the API. options: query (object), json (a body sent as JSON), raw (a
// Blob/File sent as is, with contentType). Resolves to the parsed JSON (or
// null for an empty reply); rejects with ApiError.
export async function api(method, path, options = {}) {
  const headers = { Accept: 'application/json' }
  let body
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(options.json)
  } else if (options.raw !== undefined) {
    headers['Content-Type'] = options.contentType || 'application/octet-stream'
    body = options.raw
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  let res
  try {
    res = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      cache: 'no-store',
    })
  } catch (e) {
    throw new ApiError(0, { error: { code: 'network', message: e.message } })
  }
  let data = null
  const type = res.headers.get('Content-Type') || ''
  if (type.includes('application/json')) {
    try {
      data = await res.json()
    } catch {
      data = null
    }
  }
  if (!res.ok) {
    const error = new ApiError(res.status, data)
    if (res.status === 401 && !options.noRedirect) onUnauthenticated()
    if (res.status === 403 && error.code === 'password_expired') onPasswordExpired()
    throw error
  }
  return data
}

export const get = (path, query) => api('GET', path, { query })
