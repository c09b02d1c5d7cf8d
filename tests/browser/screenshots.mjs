// screenshots: the pictures of docs/manual.zh-CN.md, taken from the demo
// database as bureau staff, an auditor and a leader on a phone. Run through
// tools/screenshots.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { root, PASSWORD, fill, choose, until, texts, setDate } from './lib.mjs'
import { startWorld, guardNetwork } from './world.mjs'

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback
}
const binary = path.resolve(root, option('--binary', 'build/zhaoshang'))
const out = path.resolve(root, option('--out', 'docs/img'))
// --only a,b: take only these pictures (the others are left as they are).
const only = option('--only', null) ? new Set(option('--only', '').split(',')) : null
mkdirSync(out, { recursive: true })

const world = await startWorld(binary)
const shots = []

async function session(user, viewport = { width: 1280, height: 800 }) {
  const context = await world.browser.newContext({ baseURL: world.base, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1 })
  context.setDefaultTimeout(20000)
  const problems = await guardNetwork(context)
  const page = await context.newPage()
  if (user) {
    await page.goto('/login')
    await fill(page, 'login-username', user)
    await fill(page, 'login-password', PASSWORD)
    await page.locator('[data-testid="login-submit"]').click()
    await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  }
  return { context, page, problems }
}

async function settle(page) {
  await page.waitForLoadState('networkidle')
  await page.locator('.el-loading-mask').first().waitFor({ state: 'hidden' }).catch(() => {})
  await page.waitForTimeout(400)
}

async function shot(page, name, options = {}) {
  if (only && !only.has(name)) return
  await settle(page)
  // No focus rings or hover colours on the pictures.
  await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur())
  await page.mouse.move(0, 790)
  const file = path.join(out, `manual-${name}.png`)
  await page.screenshot({ path: file, ...options })
  shots.push(path.relative(root, file))
}

try {
  // Login page.
  {
    const { page, context } = await session(null)
    await page.goto('/login')
    await shot(page, 'login')
    await context.close()
  }
  // Bureau staff: every screen.
  {
    const { page, context, problems } = await session('bu')
    await until(async () => (await texts(page, 'hl-count'))[0] === '1,499', 'the dashboard figures')
    await shot(page, 'dashboard')
    await shot(page, 'dashboard-full', { fullPage: true })

    await page.goto('/projects')
    await until(async () => (await texts(page, 'cell-region')).length > 0, 'the project list')
    await shot(page, 'projects')

    await page.goto('/projects/XY2023-0003')
    await page.locator('[data-testid="timeline"]').waitFor()
    await shot(page, 'project-detail')

    await page.locator('[data-testid="ms-edit-started"]').click()
    await page.locator('[data-testid="ms-mode-na"]').click()
    await shot(page, 'milestone')
    await page.keyboard.press('Escape')

    await page.goto('/projects/new')
    await fill(page, 'f-code', 'XY2025-0001')
    await fill(page, 'f-name', '示例新能源电池项目')
    await fill(page, 'f-investor', '示例储能科技有限公司')
    await choose(page, 'f-province', '广东省')
    await choose(page, 'f-region', '襄城区')
    await fill(page, 'f-amount', '12.5亿')
    await setDate(page, 'f-signed', '2025-06-18')
    await page.locator('[data-testid="f-submit"]').click()
    await page.locator('[data-field="amount_yi"] .el-form-item__error').waitFor()
    await shot(page, 'project-form')

    await page.goto('/import')
    const csv = '项目编号,项目名称,投资方,投资方省份,落地县市区,合同投资额(亿元),签约日期\r\n' +
      'XY2025-0101,示例智能装备项目,示例智能装备有限公司,江苏,樊城区,8.6,2025-05-20\r\n' +
      'XY2025-0102,示例冷链物流项目,示例冷链有限公司,火星,襄州区,3.2,2025-05-21\r\n' +
      'XY2025-0103,示例光伏组件项目,示例光伏有限公司,浙江,襄州区,十亿,2025/5/22\r\n'
    await page.locator('[data-testid="import-file"]').setInputFiles({ name: '项目导入.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.locator('[data-testid="import-check"]').click()
    await page.locator('[data-testid="import-errors"]').waitFor()
    await shot(page, 'import')

    await page.goto('/warnings')
    await page.locator('[data-testid="warn-matrix"]').waitFor()
    await setDate(page, 'warn-asof', '2023-12-31')
    await until(async () => (await texts(page, 'warn-count-due_soon'))[0] !== '0', 'reminders as of 2023-12-31')
    await page.locator('[data-testid="warn-region"] .el-collapse-item__header').first().click()
    await page.evaluate(() => window.scrollTo(0, 0))
    await shot(page, 'warnings')

    await page.goto('/heatmap')
    await page.locator('[data-testid="heat-chart"] canvas').waitFor()
    await shot(page, 'heatmap')
    await page.locator('[data-testid="heat-drill"]', { hasText: '湖北省' }).click()
    await until(async () => (await texts(page, 'heat-province')).join('').includes('湖北省'), 'Hubei')
    await shot(page, 'heatmap-hubei')

    await page.goto('/assessments/2023-06')
    await until(async () => (await texts(page, 'assess-region')).length === 12, 'the assessment ranking')
    await shot(page, 'assessment')

    await page.goto('/bulletins/2023-06')
    await until(async () => (await texts(page, 'bulletin-region')).length === 12, 'the bulletin')
    await shot(page, 'bulletin')

    await page.goto('/leads')
    await until(async () => (await texts(page, 'lead-link')).length > 0, 'the leads')
    await shot(page, 'leads')

    await page.goto('/funnel')
    await choose(page, 'funnel-year', '2023年')
    await until(async () => (await texts(page, 'funnel-group')).length > 0, 'the funnel')
    await shot(page, 'funnel')

    await page.goto('/chains/1')
    await until(async () => (await texts(page, 'chain-segment')).length === 3, 'the chain map')
    await shot(page, 'chain-map')

    await page.goto('/heatmap?year=2023&as_of=2023-12-31&layer=leads')
    await page.locator('[data-testid="heat-chart"] canvas').waitFor()
    await until(async () => (await texts(page, 'heat-total')).length > 0, 'the leads layer')
    await shot(page, 'heatmap-leads')

    await page.goto('/companies?q=' + encodeURIComponent('科技'))
    await until(async () => (await texts(page, 'company-link')).length > 0, 'the investors')
    await shot(page, 'companies')
    await page.goto('/companies?q=' + encodeURIComponent('龙蟠'))
    await page.locator('[data-testid="company-link"]').first().click()
    await until(async () => (await texts(page, 'company-project')).length === 2, 'the company')
    await shot(page, 'company')

    await page.goto('/events?year=2023')
    await until(async () => (await texts(page, 'event-link')).length === 43, 'the events')
    await shot(page, 'events')
    await page.goto('/events/13')
    await page.locator('[data-testid="ft-signed"]').waitFor()
    await shot(page, 'event')
    await page.goto('/effort?year=2023')
    await until(async () => (await texts(page, 'effort-city_main-trips'))[0] === '25', 'the effort report')
    await shot(page, 'effort')

    await page.goto('/major-projects?month=2023-12&status=building')
    await until(async () => (await texts(page, 'major-code')).length > 0, 'the major projects')
    await page.locator('[data-testid="major-table"] .el-table__body tr', { hasText: 'XY2023-0032' }).first().click()
    await until(async () => (await texts(page, 'gantt-actual')).length === 1, 'the selected project')
    await page.evaluate(() => window.scrollTo(0, 330))
    await shot(page, 'major')

    const call = (method, url, body) => page.evaluate(async ([m, u, b]) => {
      const s = await fetch('/api/session').then((r) => r.json())
      const r = await fetch(u, { method: m, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token }, body: JSON.stringify(b) })
      return r.json()
    }, [method, url, body])
    const pr = await call('POST', '/api/projects/XY2023-0032/problems', { category: 'utilities', grade: 'county', title: '施工用电增容未落实', owner_department: '市供电公司', owner_person: '李工', deadline: '2025-07-01' })
    await call('PATCH', `/api/problems/${pr.id}`, { status: 'in_progress', note: '供电公司已现场勘察' })
    world.run(['escalate'], undefined, { ZHAOSHANG_NOW: '2025-07-03' })
    await page.goto('/problems/' + pr.id)
    await page.locator('[data-testid="problem-escalated"]').waitFor()
    await shot(page, 'problem')

    await page.goto('/account')
    await shot(page, 'account')
    if (problems.length) throw new Error(problems.join('\n'))
    await context.close()
  }
  // A region operator's reminders.
  {
    world.run(['remind'])
    const { page, context } = await session('xc')
    await page.goto('/inbox')
    await until(async () => (await texts(page, 'inbox-item')).length > 0, 'the reminders')
    await shot(page, 'inbox')
    await context.close()
  }
  // The auditor.
  {
    const { page, context } = await session('au')
    await page.locator('[data-testid="audit-table"]').waitFor()
    await page.locator('[data-testid="audit-verify"]').click()
    await page.locator('[data-testid="audit-verify-result"]').waitFor()
    await shot(page, 'audit')
    await context.close()
  }
  // A leader on a phone.
  {
    const { page, context } = await session('ld', { width: 375, height: 812 })
    await until(async () => (await texts(page, 'hl-count'))[0] === '1,499', 'the dashboard figures')
    await shot(page, 'phone')
    await context.close()
  }
  // Printing: the dashboard as printed.
  {
    const { page, context } = await session('ld')
    await until(async () => (await texts(page, 'hl-count'))[0] === '1,499', 'the dashboard figures')
    await page.emulateMedia({ media: 'print' })
    await shot(page, 'print')
    await context.close()
  }
  // Figures one can trust (last: it signs projects in 2025, which moves the
  // dashboards' default year): suspected duplicates, verification, amounts,
  // the referring unit, the data-quality page.
  {
    const { page, context, problems } = await session('bu')
    const call = (method, url, body) => page.evaluate(async ([m, u, b]) => {
      const s = await fetch('/api/session').then((r) => r.json())
      const headers = { 'X-CSRF-Token': s.csrf_token }
      if (b !== undefined) headers['Content-Type'] = 'application/json'
      const r = await fetch(u, { method: m, headers, body: b === undefined ? undefined : JSON.stringify(b) })
      return r.json()
    }, [method, url, body])
    const dup = { name: '示例高端装备制造基地项目', investor: '示例精工机械股份有限公司', investor_province: '江苏省', investor_city: '无锡市', amount_yi: '15', chain: '汽车零部件' }
    await call('POST', '/api/projects', { code: 'XY2025-0201', ...dup, region: '襄州区', signed_on: '2025-04-08' })
    await page.goto('/projects/new')
    await fill(page, 'f-code', 'XY2025-0202')
    await fill(page, 'f-name', '示例高端装备制造基地(一期)')
    await fill(page, 'f-investor', '示例精工机械有限公司')
    await choose(page, 'f-province', '江苏省')
    await choose(page, 'f-region', '襄阳高新区')
    await fill(page, 'f-amount', '15')
    await setDate(page, 'f-signed', '2025-05-16')
    await page.locator('[data-testid="f-submit"]').click()
    await page.locator('[data-testid="dup-table"]').waitFor()
    await shot(page, 'duplicate-check')
    await page.locator('[data-testid="dup-save"]').click()
    await page.waitForURL(/\/projects\/XY2025-0202$/)

    await page.goto('/duplicates')
    await page.locator('[data-testid="dup-group"]').first().waitFor()
    await shot(page, 'duplicates')

    // Evidence and a verified 注册 on a demo project; its referring unit.
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
    await page.evaluate(async ([b64, items]) => {
      const s = await fetch('/api/session').then((r) => r.json())
      const body = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      for (const [m, kind, name] of items)
        await fetch(`/api/projects/XY2023-0003/milestones/${m}/evidence?kind=${kind}&name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'X-CSRF-Token': s.csrf_token, 'Content-Type': 'image/png' }, body })
    }, [png, [['registered', 'licence', '营业执照.png'], ['started', 'photo', '开工现场.png'], ['included', 'statistics', '入库证明.png']]])
    await call('PUT', '/api/projects/XY2023-0003/milestones/started/verification', { note: '现场照片与施工许可一致' })
    await call('PUT', '/api/projects/XY2023-0003/referral', { kind: 'department', unit: '市商务局', share: 30 })
    await page.goto('/projects/XY2023-0003')
    await page.locator('[data-testid="verify-registered"]').click()
    await fill(page, 'verify-reference', '91320500MA1HWLX65J')
    await fill(page, 'verify-note', '已核对营业执照原件')
    await shot(page, 'verify')
    await page.locator('[data-testid="verify-save"]').click()
    await page.locator('[data-testid="verify-dialog"]').waitFor({ state: 'hidden' })
    await page.locator('[data-testid="verified-registered"]', { hasText: '已核验' }).waitFor()
    await page.locator('[data-testid="verify-included"]').click()
    await fill(page, 'verify-reference', '2023-420602-38-03-0123')
    await page.locator('[data-testid="verify-save"]').click()
    await page.locator('[data-testid="verify-dialog"] [data-field="reference"] .el-form-item__error').waitFor()
    await page.keyboard.press('Escape')
    await page.locator('[data-testid="verify-dialog"]').waitFor({ state: 'hidden' })
    await shot(page, 'verification', { fullPage: true })

    // An outsized amount entered by a region operator, waiting for the bureau.
    const xc = await session('xc')
    await xc.page.evaluate(async () => {
      const s = await fetch('/api/session').then((r) => r.json())
      await fetch('/api/projects', {
        method: 'POST',
        headers: { 'X-CSRF-Token': s.csrf_token, 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: 'XY2025-0203', name: '示例算力中心项目', investor: '示例云数据科技有限公司', investor_province: '北京市', region: '襄城区', amount_yi: '80', signed_on: '2025-06-10' }),
      })
    })
    await xc.context.close()
    await page.goto('/projects/XY2025-0203')
    await page.locator('[data-testid="amount-pending"]').waitFor()
    await page.locator('[data-testid="amount-confirm"]').click()
    await page.locator('[data-testid="amount-dialog"]').waitFor()
    await shot(page, 'amount')
    await page.keyboard.press('Escape')

    await page.goto('/quality')
    await until(async () => (await texts(page, 'q-region')).length === 13, 'the quality table')
    await shot(page, 'quality')
    if (problems.length) throw new Error(problems.join('\n'))
    await context.close()
  }
  // 首报首谈: a lead on a company another county reported first.
  {
    const { page, context } = await session('bu')
    await page.evaluate(async () => {
      const s = await fetch('/api/session').then((r) => r.json())
      await fetch('/api/leads', {
        method: 'POST',
        headers: { 'X-CSRF-Token': s.csrf_token, 'Content-Type': 'application/json' },
        body: JSON.stringify({ company: '示例氢能装备有限公司', company_province: '上海市', title: '氢能装备生产基地', source_kind: 'chamber', region: '樊城区', reported_on: '2025-06-12' }),
      })
    })
    await context.close()
    const xc = await session('xc')
    await xc.page.goto('/leads')
    await xc.page.locator('[data-testid="lead-new"]').click()
    await fill(xc.page, 'lf-company', '示例氢能装备有限公司')
    await fill(xc.page, 'lf-province', '上海市')
    await fill(xc.page, 'lf-title', '氢能装备项目对接')
    await xc.page.locator('[data-testid="lf-submit"]').click()
    await xc.page.locator('[data-testid="lead-form"] [data-field="company"] .el-form-item__error').waitFor()
    await shot(xc.page, 'lead-claimed')
    await xc.context.close()
  }
} finally {
  await world.stop()
}
for (const s of shots) console.log(s)
