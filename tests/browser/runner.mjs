// runner: sets up a demo database and users, starts build/zhaoshang on a
// loopback port, launches Debian's Chromium through playwright-core, runs the
// specs in specs/ one by one, and prints "N passed, N failed".
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readdirSync, rmSync, existsSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { root, chromium, registered, USERS, PASSWORD, EXPIRED_USER, Failure, fill } from './lib.mjs'

const args = process.argv.slice(2)
function option(name, fallback) {
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback
}
const binary = path.resolve(root, option('--binary', 'build/zhaoshang'))
const only = option('--only', null)
const keep = args.includes('--keep')
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const NOW = '2025-06-30'
const started = Date.now()

for (const [what, file] of [['binary', binary], ['Chromium', CHROMIUM]]) {
  if (!existsSync(file)) {
    console.error(`tests/browser: no ${what} at ${file}`)
    process.exit(2)
  }
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'zs-browser-'))
const db = path.join(tmp, 'test.db')
const env = { ...process.env, ZHAOSHANG_NOW: NOW, ZHAOSHANG_DB: db }
delete env.ZHAOSHANG_LISTEN

function run(argv, input, extraEnv) {
  const r = spawnSync(binary, ['--db', db, ...argv], { env: { ...env, ...extraEnv }, input, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`zhaoshang ${argv.join(' ')} failed (${r.status}): ${r.stderr}`)
  return r.stdout
}

let server = null
let browser = null
function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGTERM')
  if (!keep) rmSync(tmp, { recursive: true, force: true })
}
process.on('exit', cleanup)
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130))

// ---- the world: database, users, server ----
run(['init'])
run(['demo'])
for (const [name, [role, ...scope]] of Object.entries(USERS)) run(['user', 'add', name, '--role', role, ...scope, '--password-stdin'], PASSWORD + '\n')
// Made half a year before "today": past the 90-day password age.
run(['user', 'add', EXPIRED_USER, '--role', 'bureau', '--password-stdin'], PASSWORD + '\n', { ZHAOSHANG_NOW: '2024-12-01' })

const base = await new Promise((resolve, reject) => {
  server = spawn(binary, ['--db', db, 'serve', '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let errText = ''
  server.stderr.on('data', (d) => (errText += d))
  server.stdout.on('data', (d) => {
    out += d
    const line = out.split('\n')[0]
    const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(line)
    if (m) resolve(`http://127.0.0.1:${m[1]}`)
  })
  server.on('exit', (code) => reject(new Error(`the server stopped (${code}): ${errText}`)))
  setTimeout(() => reject(new Error(`the server did not start: ${out}${errText}`)), 20000)
})

// ---- the specs ----
for (const f of readdirSync(path.join(root, 'tests', 'browser', 'specs')).filter((f) => f.endsWith('.mjs')).sort())
  await import(path.join(root, 'tests', 'browser', 'specs', f))

browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
})

const failDir = path.join(root, 'build', 'browser-failures')
let passed = 0
let failed = 0
const shared = { base, password: PASSWORD, tmp, db, binary }

for (const spec of registered()) {
  if (only && !spec.name.includes(only)) continue
  const t0 = Date.now()
  const context = await browser.newContext({
    baseURL: base,
    viewport: spec.viewport || { width: 1280, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  })
  context.setDefaultTimeout(15000)
  const problems = []
  // Nothing may leave the machine: every request not for the test server's
  // loopback address is blocked and recorded.
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url())
    if (u.hostname === '127.0.0.1') return route.continue()
    problems.push(`request outside 127.0.0.1: ${route.request().url()}`)
    return route.abort()
  })
  context.on('request', (req) => {
    const u = req.url()
    if (u.startsWith('data:') || u.startsWith('blob:')) return
    if (new URL(u).hostname !== '127.0.0.1') problems.push(`request outside 127.0.0.1: ${u}`)
  })
  const page = await context.newPage()
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy|Refused to (load|execute|apply|connect)/i.test(m.text())) problems.push(`CSP: ${m.text()}`)
  })
  const t = {
    ...shared,
    context,
    page,
    browser,
    async login(user, password = PASSWORD) {
      await page.goto('/login')
      await fill(page, 'login-username', user)
      await fill(page, 'login-password', password)
      await page.locator('[data-testid="login-submit"]').click()
      await page.waitForURL((u) => !u.pathname.startsWith('/login'))
    },
    // Calls the API with the page's session (and CSRF token for writes).
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
  try {
    await Promise.race([
      spec.fn(t),
      new Promise((_, reject) => setTimeout(() => reject(new Failure('timed out after 90 s')), 90000)),
    ])
    if (problems.length) throw new Failure(problems.join('\n    '))
  } catch (e) {
    error = e
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

await browser.close()
if (server) server.kill('SIGTERM')
if (keep) writeFileSync(path.join(tmp, 'server.txt'), base + '\n')
console.log(`browser tests (${Math.round((Date.now() - started) / 1000)}s):`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
