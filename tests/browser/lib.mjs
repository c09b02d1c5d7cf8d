// lib: the browser tests' registry, the world they run in (server, users,
// browser) and the helpers they share.
//
// A test is test(name, async (t) => {...}); t.page is a fresh page in its own
// browser context (no cookies), t.login(user) logs in through the login
// page, t.api(path) calls the API with the page's session. Every request the
// page makes is recorded: anything not addressed to 127.0.0.1 is blocked and
// fails the test, and so do page errors and Content-Security-Policy reports.
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
export const root = path.resolve(here, '..', '..')
const require = createRequire(path.join(root, 'web', 'package.json'))
export const { chromium } = require('playwright-core')

export const PASSWORD = 'Browser-Test-2025!'
// Users the runner creates: name -> [role, scope option, scope value].
export const USERS = {
  bu: ['bureau'],
  xc: ['region', '--region', '襄城区'],
  ld: ['leader'],
  sv: ['supervisor'],
  nev: ['chain', '--chain', '新能源汽车'],
  au: ['auditor'],
  ad: ['admin'],
}
// A bureau user made half a year earlier: its password has expired.
export const EXPIRED_USER = 'old'

const tests = []
export function test(name, fn, options = {}) {
  tests.push({ name, fn, ...options })
}
export function registered() {
  return tests
}

export class Failure extends Error {}

export function expect(cond, message) {
  if (!cond) throw new Failure(message)
}

export function expectEqual(actual, expected, what) {
  if (actual !== expected) throw new Failure(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
}

// Text of the element with data-testid, trimmed.
export async function text(page, testid) {
  const loc = page.locator(`[data-testid="${testid}"]`).first()
  await loc.waitFor({ state: 'visible' })
  return (await loc.innerText()).trim()
}

// Waits until the element with data-testid shows exactly `want`.
export async function waitText(page, testid, want, timeout = 15000) {
  const loc = page.locator(`[data-testid="${testid}"]`).first()
  const end = Date.now() + timeout
  let last = null
  while (Date.now() < end) {
    if (await loc.count()) {
      last = (await loc.innerText().catch(() => null))?.trim()
      if (last === want) return
    }
    await page.waitForTimeout(100)
  }
  throw new Failure(`${testid}: expected ${JSON.stringify(want)}, saw ${JSON.stringify(last)}`)
}

// Chooses an option of the Element Plus select marked data-testid.
export async function choose(page, testid, option) {
  await page.locator(`[data-testid="${testid}"]`).first().click()
  const item = page.locator('.el-select-dropdown__item:visible', { hasText: option }).first()
  await item.waitFor({ state: 'visible' })
  await item.click()
  await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden' }).catch(() => {})
}

// Options offered by the select marked data-testid (opens and closes it).
export async function options(page, testid) {
  await page.locator(`[data-testid="${testid}"]`).first().click()
  const items = page.locator('.el-select-dropdown:visible .el-select-dropdown__item')
  await items.first().waitFor({ state: 'visible' })
  const out = (await items.allInnerTexts()).map((s) => s.trim())
  await page.keyboard.press('Escape')
  return out
}

// Types a date into the Element Plus date picker marked data-testid.
export async function setDate(page, testid, iso) {
  const input = page.locator(`input[data-testid="${testid}"], [data-testid="${testid}"] input`).first()
  await input.click()
  await input.fill(iso)
  await input.press('Enter')
  await page.locator('.el-picker__popper:visible').first().waitFor({ state: 'hidden', timeout: 3000 }).catch(() => {})
}

export async function fill(page, testid, value) {
  const input = page.locator(`input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input, [data-testid="${testid}"] textarea`).first()
  await input.fill(value)
}

// The page area's widths: {doc, view, main, mainClient}.
export async function widths(page) {
  return page.evaluate(() => {
    const main = document.querySelector('main') || document.body
    return {
      doc: document.documentElement.scrollWidth,
      view: window.innerWidth,
      main: main.scrollWidth,
      mainClient: main.clientWidth,
    }
  })
}

// Calls fn until it returns a truthy value; fails with `message` after `timeout` ms.
export async function until(fn, message, timeout = 15000) {
  const end = Date.now() + timeout
  let last
  while (Date.now() < end) {
    try {
      last = await fn()
      if (last) return last
    } catch (e) {
      last = e
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Failure(`${message}${last instanceof Error ? ` (${last.message})` : ''}`)
}

// Texts of every element with data-testid inside the page.
export async function texts(page, testid) {
  return (await page.locator(`[data-testid="${testid}"]`).allInnerTexts()).map((s) => s.trim())
}

// "8,851.55" as an integer number of hundredths (for comparing amounts).
export function cents(s) {
  const [i, f = ''] = s.replace(/,/g, '').split('.')
  return BigInt(i) * 100n + BigInt((f + '00').slice(0, 2))
}
