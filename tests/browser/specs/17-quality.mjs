// The data-quality page per county with its totals and the unverified_days
// setting; the 首报首谈 claim on a lead shown beside the company; the counting
// basis beside the figures; what each role is offered.
import { test, expect, expectEqual, fill, until, texts, text } from '../lib.mjs'

const COLS = ['missing_evidence', 'unverified', 'suspected_duplicates', 'amount_pending', 'stale_leads']
const shown = (n) => n.toLocaleString('en-US')

async function expectTable(page, q, what) {
  await until(async () => (await texts(page, 'q-region')).join() === q.regions.map((r) => r.region).join(), `${what}: the counties in order`)
  for (const k of COLS) {
    await until(async () => (await texts(page, 'q-' + k)).join('|') === q.regions.map((r) => shown(r[k])).join('|'), `${what}: column ${k}`)
    expectEqual(await text(page, 'q-total-' + k), shown(q.total[k]), `${what}: total ${k}`)
  }
}

test('quality: the counts per county and their totals are the API\'s; unverified_days changes them', async (t) => {
  const { page } = t
  await t.login('bu')
  // A suspected pair and an amount waiting for a second person, in 谷城县.
  const pair = { name: '浏览器质量检查农产品加工项目', investor: '郑州质量测试食品有限公司', investor_province: '河南省', region: '谷城县', amount_yi: '2.4' }
  for (const [code, day] of [['QD-A', '2025-03-02'], ['QD-B', '2025-03-09']])
    expectEqual((await t.api('POST', '/api/projects', { code, ...pair, signed_on: day })).status, 201, code)
  const big = await t.api('POST', '/api/projects', {
    code: 'QA-0001', name: '浏览器质量检查数据中心', investor: '深圳质量测试云计算有限公司', investor_province: '广东省', region: '谷城县', amount_yi: '55', signed_on: '2025-04-18',
  })
  expectEqual(big.json.amount_pending, true, 'QA-0001 pending')
  const q = (await t.api('GET', '/api/quality?unverified_days=30')).json
  expect(q.regions.length === 13, `13 county-level units: ${q.regions.length}`)
  const gc = q.regions.find((r) => r.region === '谷城县')
  expect(gc.suspected_duplicates >= 2 && gc.amount_pending >= 1, `谷城县: ${JSON.stringify(gc)}`)
  await page.locator('[data-testid="nav"] .el-menu-item', { hasText: '数据质量' }).click()
  await page.waitForURL(/\/quality/)
  await expectTable(page, q, '30 days')
  expectEqual(await text(page, 'quality-asof'), `截至 ${q.as_of}`, 'as of')
  // Milestones reported today or earlier: unverified_days=0 counts at least as many.
  const row = page.locator('[data-testid="quality-table"] .el-table__body tr', { hasText: '谷城县' })
  expectEqual((await row.locator('[data-testid="q-suspected_duplicates"]').innerText()).trim(), shown(gc.suspected_duplicates), '谷城县 duplicates')
  const input = page.locator('[data-testid="quality-days"] input')
  await input.fill('0')
  await input.press('Enter')
  await page.waitForURL(/unverified_days=0/)
  const q0 = (await t.api('GET', '/api/quality?unverified_days=0')).json
  expect(q0.total.unverified >= q.total.unverified, 'more or as many at 0 days')
  await expectTable(page, q0, '0 days')
  // The setting is kept in the address.
  await page.reload()
  await expectTable(page, q0, 'after reload')
  await page.locator('[data-testid="quality-duplicates"]').click()
  await page.waitForURL(/\/duplicates$/)
})

test('quality: every role with figures opens it; the duplicates only for the bureau, regions and supervisors', async (t) => {
  const { page } = t
  for (const [user, dupes] of [['xc', true], ['ld', false], ['nev', false], ['sv', true]]) {
    await t.login(user)
    await page.goto('/quality')
    const q = (await t.api('GET', '/api/quality')).json
    await until(async () => (await texts(page, 'q-total-stale_leads')).join() === shown(q.total.stale_leads), `${user}: the table`)
    const nav = (await page.locator('[data-testid="nav"] .el-menu-item').allInnerTexts()).map((s) => s.trim())
    expect(nav.includes('数据质量'), `${user}: 数据质量 in ${nav}`)
    expectEqual(nav.includes('疑似重复'), dupes, `${user}: 疑似重复 in the navigation`)
    expectEqual(await page.locator('[data-testid="quality-duplicates"]').count(), dupes ? 1 : 0, `${user}: the link to the duplicates`)
    await t.context.clearCookies()
  }
  await t.login('au')
  await page.goto('/quality')
  await page.waitForURL(/\/audit$/)
})

test('leads: a lead on a company another county claimed (首报首谈) shows the claim beside the company', async (t) => {
  const { page } = t
  await t.login('bu')
  const first = await t.api('POST', '/api/leads', {
    company: '浏览器首报测试科技有限公司', company_province: '广东省', title: '首报线索', source_kind: 'other', region: '樊城区', reported_on: '2025-06-20',
  })
  expectEqual(first.status, 201, `樊城区's lead: ${JSON.stringify(first.json)}`)
  await t.context.clearCookies()
  await t.login('xc')
  await page.goto('/leads')
  await page.locator('[data-testid="lead-new"]').click()
  await fill(page, 'lf-company', '浏览器首报测试科技有限公司')
  await fill(page, 'lf-province', '广东省')
  await fill(page, 'lf-title', '襄城区也想对接')
  await page.locator('[data-testid="lf-submit"]').click()
  const claimed = await t.api('POST', '/api/leads', {
    company: '浏览器首报测试科技有限公司', company_province: '广东省', title: '襄城区也想对接', source_kind: 'stationed_team', region: '襄城区', reported_on: '2025-06-30',
  })
  expectEqual(claimed.status, 409, 'the API refuses')
  expectEqual(claimed.json.error.code, 'claimed', 'claimed')
  const err = page.locator('[data-testid="lead-form"] [data-field="company"] .el-form-item__error')
  await err.waitFor()
  expectEqual((await err.innerText()).trim(), claimed.json.error.message, 'the claim beside the company')
  expect(claimed.json.error.message.includes('樊城区'), 'names the holder')
  expect(page.url().endsWith('/leads'), 'still on the form')
})

test('basis: the dashboard and the assessment say which basis their figures are counted on', async (t) => {
  const { page } = t
  await t.login('ld')
  const h = (await t.api('GET', '/api/reports/headline?year=2023&as_of=2023-12-31')).json
  await page.goto('/dashboard?year=2023&as_of=2023-12-31')
  await until(async () => (await text(page, 'hl-count')) === '1,499', 'dashboard')
  const label = { reported: '口径:按上报', verified: '口径:已核验' }
  expectEqual(await text(page, 'basis'), label[h.basis], 'dashboard basis')
  expectEqual(await page.locator('[data-testid="basis"]').getAttribute('data-basis'), h.basis, 'dashboard basis value')
  const a = (await t.api('GET', '/api/assessments/2025-05')).json
  await page.goto('/assessments/2025-05')
  await page.locator('[data-testid="assess-table"]').waitFor()
  expectEqual(await text(page, 'basis'), label[a.basis], 'assessment basis')
  await page.locator('[data-testid="lang-switch"]').click()
  await until(async () => (await text(page, 'basis')) === (a.basis === 'verified' ? 'Basis: verified only' : 'Basis: as reported'), 'in English')
  await page.locator('[data-testid="lang-switch"]').click()
})
