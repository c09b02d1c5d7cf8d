// runner: starts the world (world.mjs), runs the specs in specs/ one by one,
// each in a fresh browser context, and prints "N passed, N failed".
import { mkdirSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { root, registered, PASSWORD, Failure, fill } from './lib.mjs'
import { startWorld, guardNetwork } from './world.mjs'

const args = process.argv.slice(2)
function option(name, fallback) {
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback
}
const binary = path.resolve(root, option('--binary', 'build/zhaoshang'))
const only = option('--only', null)
const keep = args.includes('--keep')
const started = Date.now()

let world
try {
  world = await startWorld(binary, { keep })
} catch (e) {
  console.error(`tests/browser: ${e.message}`)
  process.exit(2)
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130))

for (const f of readdirSync(path.join(root, 'tests', 'browser', 'specs')).filter((f) => f.endsWith('.mjs')).sort())
  await import(path.join(root, 'tests', 'browser', 'specs', f))

const failDir = path.join(root, 'build', 'browser-failures')
let passed = 0
let failed = 0

for (const spec of registered()) {
  if (only && !spec.name.includes(only)) continue
  const t0 = Date.now()
  const context = await world.browser.newContext({
    baseURL: world.base,
    viewport: spec.viewport || { width: 1280, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  })
  context.setDefaultTimeout(15000)
  const problems = await guardNetwork(context)
  const page = await context.newPage()
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy|Refused to (load|execute|apply|connect|evaluate)/i.test(m.text())) problems.push(`CSP: ${m.text()}`)
  })
  const t = {
    base: world.base,
    tmp: world.tmp,
    password: PASSWORD,
    zhaoshang: world.run,
    context,
    page,
    async login(user, password = PASSWORD) {
      await page.goto('/login')
      await fill(page, 'login-username', user)
      await fill(page, 'login-password', password)
      await page.locator('[data-testid="login-submit"]').click()
      await page.waitForURL((u) => !u.pathname.startsWith('/login'))
    },
    // Calls the API with the page's session (and its CSRF token for writes).
    async api(method, p, body) {
      return page.evaluate(
        async ([m, url, b]) => {
          const headers = { Accept: 'application/json' }
          if (m !== 'GET') {
            const s = await fetch('/api/session').then((r) => r.json())
            headers['X-CSRF-Token'] = s.csrf_token
          }
          if (b !== undefined) headers['Content-Type'] = 'application/json'
          const r = await fetch(url, { method: m, headers, body: b === undefined ? undefined : JSON.stringify(b) })
          let json = null
          try {
            json = await r.json()
          } catch {
            json = null
          }
          return { status: r.status, json }
        },
        [method, p, body],
      )
    },
  }
  let error = null
  let timer
  try {
    await Promise.race([
      spec.fn(t),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Failure('timed out after 90 s')), 90000)
      }),
    ])
    if (problems.length) throw new Failure(problems.join('\n    '))
  } catch (e) {
    error = e
  } finally {
    clearTimeout(timer)
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1)
  if (error) {
    failed++
    mkdirSync(failDir, { recursive: true })
    const shot = path.join(failDir, spec.name.replace(/[^a-zA-Z0-9]+/g, '-') + '.png')
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {})
    console.log(`FAIL ${spec.name} (${secs}s)\n    ${error instanceof Failure ? error.message : error.stack}\n    screenshot: ${path.relative(root, shot)}`)
  } else {
    passed++
    console.log(`ok   ${spec.name} (${secs}s)`)
  }
  await context.close()
}

await world.stop()
if (keep) console.log(`kept ${world.tmp}`)
console.log(`browser tests (${Math.round((Date.now() - started) / 1000)}s):`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
