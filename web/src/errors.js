// errors: one way to tell the user that a call failed.
import { ElMessage } from './element.js'
import { t, isEnglish } from './i18n.js'

// The text for an ApiError: the server's own Chinese message, or in English
// the translation of its code when there is one.
export function errorText(e) {
  if (!e) return ''
  if (e.status === 0) return t('errors.network')
  if (isEnglish()) {
    const known = t(`errors.codes.${e.code}`)
    if (known !== `errors.codes.${e.code}`) return `${known}${e.message ? ' (' + e.message + ')' : ''}`
  }
  if (e.status === 403 && e.code === 'forbidden') return `${t('errors.forbidden')}: ${e.message}`
  return e.message || t('errors.unknown')
}

// Shows a failed call as a message (401 is handled by going to the login page).
export function showError(e) {
  if (e && e.status === 401) return
  ElMessage({ type: 'error', message: errorText(e), duration: 6000, showClose: true })
}
