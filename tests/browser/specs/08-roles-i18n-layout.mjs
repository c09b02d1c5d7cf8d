// What each role is offered, the English switch, phone widths, printing and
// the password change (forced when it has expired).
import { test, expect, expectEqual, text, texts, until, widths, fill } from '../lib.mjs'

// The navigation of the roles that read projects: every one of them gets the
// data-quality page; the bureau, region operators and supervisors also the
// suspected duplicates.
const NAV_BASE = '驾驶舱|项目库|预警中心|招商热力图|线索|客商库|产业链图谱|以会招商|工作量|月度督办|通报公告|重大项目|问题调度|数据质量'
const NAV_ZH = NAV_BASE + '|疑似重复'
const NAV_BY_USER = { bu: NAV_ZH, xc: NAV_ZH, sv: NAV_ZH, ld: NAV_BASE, nev: NAV_BASE }
const NAV_EN = 'Dashboard|Projects|Warnings|Heat map|Leads|Investors|Chain maps|Events|Effort|Assessment|Bulletins|Major projects|Problems|Data quality|Duplicates'

async function nav(page) {
  await page.locator('[data-testid="nav"]').waitFor()
  return (await page.locator('[data-testid="nav"] .el-menu-item').allInnerTexts()).map((s) => s.trim())
}

test('english: the switch changes the labels and back', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/dashboard?year=2023&as_of=2023-12-31')
  await until(async () => (await text(page, 'hl-count')) === '1,499', 'dashboard')
  expectEqual((await nav(page)).join('|'), NAV_ZH, 'Chinese navigation')
  await page.locator('[data-testid="lang-switch"]').click()
  await until(async () => (await nav(page)).join('|') === NAV_EN, 'English navigation')
  expectEqual(await page.evaluate(() => document.documentElement.lang), 'en', 'html lang')
  const body = await page.locator('main').innerText()
  expect(body.includes('Conversion rate') && body.includes('Out-of-province projects'), 'English headline labels')
  expectEqual(await text(page, 'hl-count'), '1,499', 'figures unchanged')
  await page.goto('/projects')
  await page.locator('[data-testid="new-project"]').waitFor()
  expectEqual(await text(page, 'new-project'), 'New project', 'button label')
  await page.locator('[data-testid="lang-switch"]').click()
  await until(async () => (await text(page, 'new-project')) === '新建项目', 'back to Chinese')
  expectEqual(await page.evaluate(() => document.documentElement.lang), 'zh-CN', 'html lang back')
})

test('roles: a leader and a supervisor read everything but are offered no writing', async (t) => {
  const { page } = t
  for (const user of ['ld', 'sv']) {
    await t.login(user)
    await page.waitForURL(/\/dashboard/)
    expectEqual((await nav(page)).join('|'), NAV_BY_USER[user], `${user} navigation`)
    await page.goto('/projects')
    await until(async () => (await texts(page, 'cell-region')).length > 0, 'the list')
    expectEqual(await page.locator('[data-testid="new-project"]').count(), 0, `${user}: create button`)
    expectEqual(await page.locator('[data-testid="import-button"]').count(), 0, `${user}: import button`)
    await page.goto('/projects/new')
    await page.waitForURL(/\/dashboard/)
    if (user === 'ld') {
      await page.goto('/duplicates')
      await page.waitForURL(/\/dashboard/)
    }
    await t.context.clearCookies()
  }
})

test('roles: a chain task force reads only its chain and writes nothing', async (t) => {
  const { page } = t
  await t.login('nev')
  expectEqual((await nav(page)).join('|'), NAV_BY_USER.nev, 'chain task force navigation')
  await page.goto('/duplicates')
  await page.waitForURL(/\/dashboard/)
  await page.goto('/projects')
  await until(async () => (await texts(page, 'cell-chain')).length > 0, 'the list')
  const chains = await texts(page, 'cell-chain')
  expect(chains.every((c) => c === '新能源汽车'), `chains: ${[...new Set(chains)]}`)
  expectEqual(await page.locator('[data-testid="new-project"]').count(), 0, 'create button')
  expectEqual(await page.locator('[data-testid="filter-chain"]').count(), 0, 'no chain choice')
})

test('roles: the auditor sees only the audit trail, filters it and verifies the chain (完整)', async (t) => {
  const { page } = t
  await t.login('au')
  await page.waitForURL(/\/audit$/)
  expectEqual((await nav(page)).join('|'), '审计记录', 'auditor navigation')
  await page.goto('/dashboard')
  await page.waitForURL(/\/audit$/)
  expectEqual((await t.api('GET', '/api/projects?limit=1')).status, 403, 'projects for the auditor')
  await page.locator('[data-testid="audit-table"] .el-table__body tr').first().waitFor()
  await fill(page, 'audit-user', 'bu')
  await page.locator('[data-testid="audit-search"]').click()
  await until(async () => {
    const users = await texts(page, 'audit-cell-user')
    return users.length > 0 && users.every((u) => u === 'bu')
  }, 'only bu\'s rows')
  const actions = await page.locator('[data-testid="audit-cell-action"]').evaluateAll((els) => els.map((e) => e.dataset.action))
  expect(actions.includes('project.create') && actions.includes('login'), `bu's actions: ${[...new Set(actions)]}`)
  await page.locator('[data-testid="audit-verify"]').click()
  const result = await text(page, 'audit-verify-result')
  expect(result.includes('完整'), `verify: ${result}`)
})

test('roles: the admin gets the administration page and no project data', async (t) => {
  const { page } = t
  await t.login('ad')
  await page.waitForURL(/\/admin$/)
  expectEqual((await nav(page)).join('|'), '系统管理', 'admin navigation')
  expect((await text(page, 'admin-info')).includes('zhaoshang user'), 'the CLI is explained')
  await page.goto('/projects')
  await page.waitForURL(/\/admin$/)
  expectEqual((await t.api('GET', '/api/projects?limit=1')).status, 403, 'projects for the admin')
})

test('phone: at 375x812 the main area does not overflow sideways', async (t) => {
  const { page } = t
  await t.login('ld')
  await page.goto('/dashboard?year=2023&as_of=2023-12-31')
  await until(async () => (await text(page, 'hl-count')) === '1,499', 'dashboard')
  for (const path of ['/dashboard', '/projects', '/projects/XY2023-0003', '/warnings', '/heatmap', '/account', '/companies', '/events', '/effort?year=2023', '/major-projects', '/problems', '/quality']) {
    await page.goto(path)
    await page.waitForLoadState('networkidle')
    await page.waitForTimeout(300)
    const w = await widths(page)
    expect(w.doc <= w.view, `${path}: page ${w.doc}px wider than the ${w.view}px window`)
    expect(w.main <= w.mainClient, `${path}: main area scrolls sideways (${w.main} > ${w.mainClient})`)
  }
}, { viewport: { width: 375, height: 812 } })

test('print: the navigation is hidden and the figures stay', async (t) => {
  const { page } = t
  await t.login('ld')
  await page.goto('/dashboard?year=2023&as_of=2023-12-31')
  await until(async () => (await text(page, 'hl-count')) === '1,499', 'dashboard')
  expect(await page.locator('[data-testid="nav"]').isVisible(), 'navigation on screen')
  await page.emulateMedia({ media: 'print' })
  expect(!(await page.locator('[data-testid="nav"]').isVisible()), 'navigation hidden in print')
  expect(!(await page.locator('.app-header').isVisible()), 'header hidden in print')
  expect(await page.locator('[data-testid="hl-count"]').isVisible(), 'figures printed')
  await page.emulateMedia({ media: 'screen' })
  await page.goto('/projects')
  await until(async () => (await texts(page, 'cell-region')).length > 0, 'the list')
  await page.emulateMedia({ media: 'print' })
  expect(!(await page.locator('[data-testid="filters"]').isVisible()), 'filters hidden in print')
  expect(await page.locator('[data-testid="project-table"]').isVisible(), 'the list printed')
})

test('password: an expired password must be changed first; the policy is explained', async (t) => {
  const { page } = t
  await t.login('old')
  await page.waitForURL(/\/account\?expired=1/)
  await page.locator('[data-testid="password-expired"]').waitFor()
  await page.goto('/dashboard')
  await page.waitForURL(/\/account/)
  // Wrong current password.
  await fill(page, 'pw-old', 'Not-The-Password-9')
  await fill(page, 'pw-new', 'New-Browser-Pass-2025')
  await fill(page, 'pw-new2', 'New-Browser-Pass-2025')
  await page.locator('[data-testid="pw-submit"]').click()
  const oldErr = page.locator('[data-testid="password-form"] .el-form-item__error').first()
  await oldErr.waitFor()
  expect((await oldErr.innerText()).length > 0, 'wrong current password message')
  // Too weak a new password.
  await fill(page, 'pw-old', t.password)
  await fill(page, 'pw-new', 'short')
  await fill(page, 'pw-new2', 'short')
  await page.locator('[data-testid="pw-submit"]').click()
  await until(async () => (await page.locator('[data-testid="password-form"] .el-form-item__error').allInnerTexts()).join('').length > 0, 'a policy message')
  await fill(page, 'pw-new', 'New-Browser-Pass-2025')
  await fill(page, 'pw-new2', 'New-Browser-Pass-2025')
  await page.locator('[data-testid="pw-submit"]').click()
  await page.waitForURL(/\/dashboard/)
  await until(async () => /^\d[\d,]*$/.test(await text(page, 'hl-count')), 'the dashboard after the change')
  // The new password works for the next login.
  await t.context.clearCookies()
  await t.login('old', 'New-Browser-Pass-2025')
  await page.waitForURL(/\/dashboard/)
})

test('dashboard: with signings in the current year it opens on that year as of today', async (t) => {
  const { page } = t
  // The import and create tests signed projects in 2025; "today" is 2025-06-30.
  await t.login('bu')
  await page.waitForURL(/\/dashboard\?year=2025&as_of=2025-06-30$/)
  const h = await t.api('GET', '/api/reports/headline?year=2025&as_of=2025-06-30')
  await until(async () => (await text(page, 'hl-count')) === h.json.out_of_province_100m.count.toLocaleString('en-US'), 'the 2025 figures')
  expect((await text(page, 'dash-period')).includes('2025-06-30'), 'period up to today')
})
