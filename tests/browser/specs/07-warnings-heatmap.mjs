// 预警中心 grouped by state and region with its as-of day; the heat map with
// its notice, drilling into provinces.
import { test, expect, expectEqual, text, texts, until, setDate } from '../lib.mjs'

async function warningCounts(t, asOf) {
  const r = await t.api('GET', `/api/warnings?as_of=${asOf}`)
  const by = { overdue: 0, due_soon: 0 }
  const regions = { overdue: new Map(), due_soon: new Map() }
  for (const w of r.json) {
    by[w.state]++
    regions[w.state].set(w.region, (regions[w.state].get(w.region) || 0) + 1)
  }
  return { by, regions }
}

async function shownRegions(page, state) {
  const items = page.locator(`[data-testid="warn-group-${state}"] [data-testid="warn-region"]`)
  const out = new Map()
  for (let i = 0; i < (await items.count()); i++) {
    const item = items.nth(i)
    out.set(await item.getAttribute('data-region'), Number((await item.locator('[data-testid="warn-region-count"]').innerText()).replace(/,/g, '')))
  }
  return out
}

test('warnings: grouped by state and region, with the as-of day', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/warnings')
  const input = page.locator('[data-testid="warn-asof"] input')
  await until(async () => (await input.inputValue()) === '2025-06-30', 'as of today by default')
  const today = await warningCounts(t, '2025-06-30')
  await until(async () => (await text(page, 'warn-count-overdue')) === today.by.overdue.toLocaleString('en-US'), 'overdue count of today')
  // An earlier day: the demo's end of 2023 has reminders as well as warnings.
  await setDate(page, 'warn-asof', '2023-12-31')
  const then = await warningCounts(t, '2023-12-31')
  expect(then.by.due_soon > 0 && then.by.overdue > 0, 'the demo has both states at the end of 2023')
  await until(async () => (await text(page, 'warn-count-overdue')) === then.by.overdue.toLocaleString('en-US'), 'overdue count as of 2023-12-31')
  expectEqual(await text(page, 'warn-count-due_soon'), then.by.due_soon.toLocaleString('en-US'), 'due soon count')
  const overdue = await shownRegions(page, 'overdue')
  expectEqual(JSON.stringify([...overdue].sort()), JSON.stringify([...then.regions.overdue].sort()), 'overdue by region')
  // Regions in the configured order: 襄城区 before 樊城区 before 襄州区.
  const order = [...overdue.keys()]
  expect(order.indexOf('襄城区') < order.indexOf('樊城区') && order.indexOf('樊城区') < order.indexOf('襄州区'), `region order: ${order}`)
  await page.getByRole('tab', { name: /即将到期/ }).click()
  const soon = await shownRegions(page, 'due_soon')
  expectEqual(JSON.stringify([...soon].sort()), JSON.stringify([...then.regions.due_soon].sort()), 'due soon by region')
  // A region's rows open with the project codes.
  const first = page.locator('[data-testid="warn-group-due_soon"] [data-testid="warn-region"]').first()
  await first.locator('.el-collapse-item__header').click()
  await first.locator('a[href^="/projects/"]').first().waitFor()
  const matrix = await page.locator('[data-testid="warn-matrix"] .el-table__body tr').allInnerTexts()
  expect(matrix.length === new Set([...then.regions.overdue.keys(), ...then.regions.due_soon.keys()]).size, `matrix rows: ${matrix.length}`)
})

test('warnings: a region operator sees only its own region\'s warnings', async (t) => {
  const { page } = t
  await t.login('xc')
  await page.goto('/warnings')
  await setDate(page, 'warn-asof', '2023-12-31')
  await until(async () => (await page.locator('[data-testid="warn-group-overdue"] [data-testid="warn-region"]').count()) > 0, 'groups')
  const regions = await shownRegions(page, 'overdue')
  expectEqual([...regions.keys()].join(','), '襄城区', 'regions shown')
})

test('heat map: a canvas map with the illustrative notice, drilling into 广东省 and 湖北省', async (t) => {
  const { page } = t
  await t.login('ld')
  // The figures of 2023 (later tests sign projects in 2025, the year it would open on).
  await page.goto('/heatmap?year=2023&as_of=2023-12-31')
  await page.locator('[data-testid="heat-chart"] canvas').first().waitFor()
  const notice = await text(page, 'map-notice')
  expect(notice.includes('示意图,非标准地图'), `notice: ${notice}`)
  const all = await t.api('GET', '/api/reports/origins?year=2023&as_of=2023-12-31')
  const gd = all.json.rows.find((r) => r.province === '广东省')
  const rows = await page.locator('[data-testid="heat-table"] .el-table__body tr').allInnerTexts()
  expect(rows[0].includes('广东省') && rows[0].includes(String(gd.count)) && rows[0].includes(gd.amount_yi.replace(/\B(?=(\d{3})+(?!\d))/, ',')), `first row: ${rows[0]}`)
  // The map is drawn: the canvas has coloured pixels.
  const drawn = await page.locator('[data-testid="heat-chart"] canvas').first().evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
    let n = 0
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] && (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2])) n++
    return n
  })
  expect(drawn > 1000, `coloured pixels on the map: ${drawn}`)
  await page.locator('[data-testid="heat-drill"]', { hasText: '广东省' }).click()
  await until(async () => (await texts(page, 'heat-province')).join('').includes('广东省'), 'drilled into 广东省')
  const gdCities = await t.api('GET', '/api/reports/origins?year=2023&as_of=2023-12-31&province=' + encodeURIComponent('广东省'))
  const sz = gdCities.json.rows.find((r) => r.city === '深圳市')
  await until(async () => {
    const r = await page.locator('[data-testid="heat-table"] .el-table__body tr').allInnerTexts()
    return r.some((x) => x.includes('深圳市') && x.includes(String(sz.count)))
  }, '深圳市 among the cities')
  await page.locator('[data-testid="heat-chart"] canvas').first().waitFor()
  expect((await text(page, 'map-notice')).includes('示意图'), 'the notice stays')
  await page.locator('[data-testid="heat-back"]').click()
  await until(async () => (await page.locator('[data-testid="heat-province"]').count()) === 0, 'back to China')
  await page.locator('[data-testid="heat-drill"]', { hasText: '湖北省' }).click()
  await until(async () => {
    const r = await page.locator('[data-testid="heat-table"] .el-table__body tr').allInnerTexts()
    return r.some((x) => x.includes('襄阳市'))
  }, '襄阳市 among Hubei\'s cities')
})

test('heat map: the leads and targets layers show their own figures, and drill down', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/heatmap?year=2023&as_of=2023-12-31')
  await page.locator('[data-testid="heat-chart"] canvas').first().waitFor()
  const firstRow = async () => (await page.locator('[data-testid="heat-table"] .el-table__body tr').first().innerText()).replace(/\s+/g, ' ')
  // Leads of 2023: 广东省 leads with its own count, not the signed one.
  const leads = (await t.api('GET', '/api/reports/origins?layer=leads&year=2023&as_of=2023-12-31')).json
  const signed = (await t.api('GET', '/api/reports/origins?year=2023&as_of=2023-12-31')).json
  expect(leads.total.count !== signed.total.count, 'the layers differ on the demo')
  await page.locator('[data-testid="heat-layer-leads"]').click()
  await page.waitForURL(/layer=leads/)
  const top = leads.rows[0]
  await until(async () => (await text(page, 'heat-total')) === `合计 ${top && leads.total.count.toLocaleString('en-US')} 个,${leads.total.amount_yi.replace(/\B(?=(\d{3})+(?!\d))/, ',')} 亿元`, 'the leads total')
  expectEqual(await firstRow(), `${top.province} ${top.count} ${top.amount_yi.replace(/\B(?=(\d{3})+(?!\d))/, ',')}`, 'first row of the leads layer')
  expect((await text(page, 'heat-help')).includes('线索'), 'the layer is explained')
  await page.locator('[data-testid="heat-drill"]', { hasText: '广东省' }).click()
  const gd = (await t.api('GET', '/api/reports/origins?layer=leads&year=2023&as_of=2023-12-31&province=' + encodeURIComponent('广东省'))).json
  await until(async () => (await firstRow()).startsWith(`${gd.rows[0].city} ${gd.rows[0].count} `), `${gd.rows[0].city} first among 广东省's lead cities`)
  await page.locator('[data-testid="heat-back"]').click()
  // Targets: companies on the chain maps, counted without amounts.
  await page.locator('[data-testid="heat-layer-targets"]').click()
  const targets = (await t.api('GET', '/api/reports/origins?layer=targets&year=2023&as_of=2023-12-31')).json
  await until(async () => (await text(page, 'heat-total')) === `合计 ${targets.total.count} 家`, 'the targets total')
  const counts = (await texts(page, 'heat-cell-count')).map(Number)
  expectEqual(counts.join(','), targets.rows.map((r) => r.count).join(','), 'target counts by province')
  expect((await page.locator('[data-testid="heat-table"] th').allInnerTexts()).every((h) => !h.includes('投资额')), 'no amount column for targets')
  // The layer is kept in the address: a reload stays on it.
  await page.reload()
  await until(async () => (await text(page, 'heat-total')) === `合计 ${targets.total.count} 家`, 'targets after a reload')
})
