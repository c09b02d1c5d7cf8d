// world: what the browser tests and the manual's screenshots run against: a
// temporary demo database with known users, build/zhaoshang serving it on a
// loopback port, and Debian's Chromium through playwright-core. "Today" is
// 2025-06-30 for the demo and the server.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, USERS, PASSWORD, EXPIRED_USER } from './lib.mjs'

export const NOW = '2025-06-30'
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]

// Starts everything; resolves to {base, tmp, db, browser, stop()}. `keep`
// leaves the temporary folder in place.
export async function startWorld(binary, { keep = false } = {}) {
  for (const [what, file] of [['binary', binary], ['Chromium', CHROMIUM]]) {
    if (!existsSync(file)) throw new Error(`no ${what} at ${file}`)
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'zs-browser-'))
  const db = path.join(tmp, 'test.db')
  const env = { ...process.env, ZHAOSHANG_NOW: NOW, ZHAOSHANG_DB: db }
  delete env.ZHAOSHANG_LISTEN
  let server = null
  let browser = null

  const stop = async () => {
    if (browser) await browser.close().catch(() => {})
    browser = null
    if (server && server.exitCode === null) server.kill('SIGTERM')
    server = null
    if (!keep) rmSync(tmp, { recursive: true, force: true })
  }
  process.on('exit', () => {
    if (server && server.exitCode === null) server.kill('SIGKILL')
    if (!keep) rmSync(tmp, { recursive: true, force: true })
  })

  const run = (argv, input, extraEnv) => {
    const r = spawnSync(binary, ['--db', db, ...argv], { env: { ...env, ...extraEnv }, input, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`zhaoshang ${argv.join(' ')} failed (${r.status}${r.error ? ", " + r.error.message : ""}): ${r.stderr}`)
    return r.stdout
  }
  run(['init'])
  run(['demo'])
  for (const [name, [role, ...scope]] of Object.entries(USERS))
    run(['user', 'add', name, '--role', role, ...scope, '--password-stdin'], PASSWORD + '\n')
  // Made seven months before "today": past the 90-day password age.
  run(['user', 'add', EXPIRED_USER, '--role', 'bureau', '--password-stdin'], PASSWORD + '\n', { ZHAOSHANG_NOW: '2024-12-01' })

  const base = await new Promise((resolve, reject) => {
    server = spawn(binary, ['--db', db, 'serve', '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let errText = ''
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${out}${errText}`)), 20000)
    server.stderr.on('data', (d) => (errText += d))
    server.stdout.on('data', (d) => {
      out += d
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out.split('\n')[0])
      if (m) {
        clearTimeout(timer)
        resolve(`http://127.0.0.1:${m[1]}`)
      }
    })
    server.on('exit', (code) => reject(new Error(`the server stopped (${code}): ${errText}`)))
  })

  // playwright-core starts Chromium with a fresh temporary --user-data-dir.
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS })
  return { base, tmp, db, browser, run, stop }
}

// Blocks and records every request of a browser context that is not for
// 127.0.0.1; returns the list the violations go to.
export async function guardNetwork(context) {
  const problems = []
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
  return problems
}
