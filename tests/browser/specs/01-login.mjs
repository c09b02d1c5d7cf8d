// Login: a wrong password is refused with a message; the right one opens the
// dashboard; without a session every screen leads to the login page.
import { test, expect, text, fill } from '../lib.mjs'

test('login: wrong password shows a message, the right one opens the dashboard', async (t) => {
  const { page } = t
  await page.goto('/projects')
  await page.waitForURL(/\/login/)
  await fill(page, 'login-username', 'bu')
  await fill(page, 'login-password', 'Wrong-Password-1!')
  await page.locator('[data-testid="login-submit"]').click()
  const msg = await text(page, 'login-error')
  expect(msg.includes('用户名或密码不正确'), `login error: ${msg}`)
  expect(page.url().includes('/login'), 'still on the login page')
  await fill(page, 'login-password', t.password)
  await page.locator('[data-testid="login-submit"]').click()
  // Back to the page asked for before login.
  await page.waitForURL(/\/projects$/)
  const who = await text(page, 'user-menu')
  expect(who.includes('bu') && who.includes('招商局'), `user menu: ${who}`)
})

test('login: a session that ends sends every screen back to the login page', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.waitForURL(/\/dashboard/)
  await t.context.clearCookies()
  await page.goto('/warnings')
  await page.waitForURL(/\/login\?redirect=/)
  // A call that gets 401 in a loaded page goes back to login as well.
  await t.login('bu')
  await page.goto('/projects')
  await page.locator('[data-testid="project-table"]').waitFor()
  await t.context.clearCookies()
  await page.locator('[data-testid="filter-apply"]').click()
  await page.waitForURL(/\/login/)
})

test('login: logging out ends the session', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.locator('[data-testid="user-menu"]').click()
  await page.locator('[data-testid="logout"]').click()
  await page.waitForURL(/\/login/)
  const r = await t.api('GET', '/api/session')
  expect(r.status === 401, `session after logout: ${r.status}`)
})
