// 我的提醒: the unread count in the header, the reminders listed, marking one
// read (the badge goes down) and following one to its project.
import { test, expect, expectEqual, text, texts, until } from '../lib.mjs'

const badge = async (page) => {
  const b = page.locator('[data-testid="inbox-badge"] .el-badge__content')
  return (await b.count()) && (await b.isVisible()) ? (await b.innerText()).trim() : ''
}
const shownCount = (n) => (n > 99 ? '99+' : n ? String(n) : '')

test('inbox: a region operator\'s reminders, the unread badge, marking read', async (t) => {
  const { page } = t
  // The reminders run (the server also runs them a minute after it starts).
  t.zhaoshang(['remind'])
  await t.login('xc')
  const all = (await t.api('GET', '/api/inbox?limit=1000')).json
  const unread = all.filter((m) => !m.read_at)
  expect(unread.length > 1, `襄城区 has unread reminders (${unread.length})`)
  expect(all.every((m) => m.body.includes('襄城区') || m.item.startsWith('problem:')), 'only its region\'s')
  await page.goto('/dashboard')
  await until(async () => (await badge(page)) === shownCount(unread.length), `badge ${shownCount(unread.length)}`)
  await page.locator('[data-testid="inbox-link"]').click()
  await page.waitForURL(/\/inbox$/)
  await until(async () => (await texts(page, 'inbox-item')).length === all.length, 'every reminder listed')
  expectEqual(await text(page, 'inbox-unread'), `未读 ${unread.length} 条`, 'unread count')
  expectEqual((await texts(page, 'inbox-title'))[0], all[0].title, 'newest first')
  // Mark the first one read.
  const first = page.locator('[data-testid="inbox-item"]').first()
  await first.locator('[data-testid="inbox-read"]').click()
  await until(async () => (await first.getAttribute('data-read')) === '1', 'marked read')
  await until(async () => (await badge(page)) === shownCount(unread.length - 1), 'the badge goes down')
  expectEqual(await text(page, 'inbox-unread'), `未读 ${unread.length - 1} 条`, 'count after')
  const after = (await t.api('GET', '/api/inbox?limit=1000')).json
  expect(after.find((m) => m.id === all[0].id).read_at, 'read on the server')
  // Unread only, then follow one to its project.
  await page.locator('[data-testid="inbox-unread-only"]').click()
  await until(async () => (await texts(page, 'inbox-item')).length === unread.length - 1, 'only the unread')
  const item = after.find((m) => !m.read_at && m.item.startsWith('warn:'))
  await page.locator('[data-testid="inbox-title"]', { hasText: item.title }).first().click()
  await page.waitForURL(new RegExp('/projects/' + item.item.split(':')[1] + '$'))
})

test('inbox: a leader\'s inbox matches the API; no badge when there is nothing unread', async (t) => {
  const { page } = t
  await t.login('ld')
  const all = (await t.api('GET', '/api/inbox')).json
  await page.goto('/inbox')
  await until(async () => (await page.locator('[data-testid="inbox-link"]').count()) === 1, 'the inbox link')
  if (!all.length) {
    await page.locator('.el-empty').first().waitFor()
    expectEqual(await badge(page), '', 'no badge')
  } else {
    await until(async () => (await texts(page, 'inbox-item')).length === all.length, 'the reminders')
  }
})
