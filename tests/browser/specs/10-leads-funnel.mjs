// 线索: the list with its filters, a new lead, a follow-up, losing one and
// converting one into a project; the funnel by source, team and chain.
import { test, expect, expectEqual, text, texts, until, fill, choose, setDate } from '../lib.mjs'

test('leads: the stale filter and the stage filter narrow the list', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/leads')
  await until(async () => (await texts(page, 'lead-link')).length === 50, 'the first page of 50')
  const first = (await t.api('GET', '/api/leads?limit=50')).json.items[0]
  expectEqual((await texts(page, 'lead-link'))[0], first.title, 'newest first')
  await choose(page, 'lead-stage', '已流失')
  const lost = (await t.api('GET', '/api/leads?stage=lost&limit=50')).json.items
  await until(async () => (await texts(page, 'lead-link')).length === lost.length, `${lost.length} lost leads`)
  expect((await texts(page, 'lead-row-stage')).every((s) => s === '已流失'), 'only lost leads')
  await page.locator('[data-testid="lead-stale"]').click()
  await until(async () => (await texts(page, 'lead-link')).length === 0, 'lost leads are not stale')
})

test('funnel: opens on the latest year with leads (2023 on the demo), not the empty current year', async (t) => {
  const { page } = t
  await t.login('ld')
  await page.goto('/funnel')
  const newest = (await t.api('GET', '/api/leads?limit=1')).json.items[0]
  const year = newest.reported_on.slice(0, 4)
  expectEqual(year, '2023', 'no lead recorded yet in 2025')
  await page.waitForURL(/year=2023/)
  const api = (await t.api('GET', '/api/reports/funnel?by=source&year=2023')).json
  expect(api.total.total > 0, 'the demo has leads in 2023')
  await until(async () => (await text(page, 'funnel-total')).startsWith(`合计: ${api.total.total.toLocaleString('en-US')} `), 'the 2023 totals')
  expectEqual(await text(page, 'funnel-year'), '2023年', 'the year shown')
})

test('leads: record one, follow it up, lose another, convert a third into a project', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/leads')
  await page.locator('[data-testid="lead-new"]').click()
  await fill(page, 'lf-company', '襄阳浏览器测试科技有限公司')
  await fill(page, 'lf-province', '上海市')
  await fill(page, 'lf-city', '上海市')
  await fill(page, 'lf-title', '浏览器测试线索一')
  await choose(page, 'lf-chain', '新能源汽车')
  await choose(page, 'lf-region', '襄城区')
  await fill(page, 'lf-amount', '3.5')
  await page.locator('[data-testid="lf-submit"]').click()
  await page.waitForURL(/\/leads\/\d+$/)
  await until(async () => (await text(page, 'lead-title')) === '浏览器测试线索一', 'the new lead')
  const id = page.url().split('/').pop()
  await fill(page, 'fu-note', '电话沟通,对方计划7月来襄考察')
  await choose(page, 'fu-stage', '跟进中')
  await page.locator('[data-testid="fu-submit"]').click()
  await until(async () => (await text(page, 'lead-stage-shown')).startsWith('跟进中'), 'stage following')
  await until(async () => (await page.locator('[data-testid="lead-followups"]').innerText()).includes('来襄考察'), 'the follow-up listed')
  expectEqual((await t.api('GET', `/api/leads/${id}`)).json.follow_ups.length, 1, 'one follow-up')

  // Lose an open lead with its reason.
  const open = (await t.api('GET', '/api/leads?stage=new&limit=2')).json.items
  await page.goto(`/leads/${open[0].id}`)
  await page.locator('[data-testid="lead-lose"]').click()
  await fill(page, 'lose-reason', '企业已选择外地落户')
  await page.locator('[data-testid="lose-submit"]').click()
  await until(async () => (await text(page, 'lead-stage-shown')) === '已流失(企业已选择外地落户)', 'lost with the reason')
  expectEqual(await page.locator('[data-testid="lead-convert"]').count(), 0, 'a lost lead is closed')

  // Convert the new lead into a project.
  await page.goto(`/leads/${id}`)
  await page.locator('[data-testid="lead-convert"]').click()
  await fill(page, 'conv-code', 'XY2025-LEAD1')
  await setDate(page, 'conv-date', '2025-06-30')
  await page.locator('[data-testid="conv-submit"]').click()
  await page.waitForURL(/\/projects\/XY2025-LEAD1$/)
  const lead = (await t.api('GET', `/api/leads/${id}`)).json
  expectEqual(lead.stage, 'signed', 'lead signed')
  expectEqual(lead.project, 'XY2025-LEAD1', 'lead linked to the project')
  const project = (await t.api('GET', '/api/projects/XY2025-LEAD1')).json
  expectEqual(project.investor, '襄阳浏览器测试科技有限公司', 'investor from the lead')
})

test('funnel: by source with the stationed-team row, by team, by chain', async (t) => {
  const { page } = t
  await t.login('ld')
  await page.goto('/funnel')
  await choose(page, 'funnel-year', '2023年')
  const api = (await t.api('GET', '/api/reports/funnel?by=source&year=2023')).json
  const st = api.rows.find((r) => r.key === 'stationed_team')
  expect(st.total > 0, 'the demo has stationed-team leads in 2023')
  await until(async () => {
    const rows = await page.locator('[data-testid="funnel-table"] .el-table__body tr').allInnerTexts()
    return rows.some((r) => r.startsWith('驻点小分队') && r.includes(String(st.total)))
  }, 'the stationed-team row with its total')
  await page.locator('[data-testid="funnel-chart"] canvas').first().waitFor()
  expectEqual(await text(page, 'funnel-total'), `合计: ${api.total.total.toLocaleString('en-US')} · 已签约 ${api.total.signed} · 转化率 ${api.total.conversion_rate === null ? '—' : api.total.conversion_rate + '%'}`, 'totals')
  await page.locator('[data-testid="funnel-by-chain"]').click()
  const chains = (await t.api('GET', '/api/reports/funnel?by=chain&year=2023')).json
  await until(async () => (await texts(page, 'funnel-group')).join(',') === chains.rows.map((r) => r.name).join(','), 'rows by chain')
  await page.locator('[data-testid="funnel-by-team"]').click()
  const teams = (await t.api('GET', '/api/reports/funnel?by=team&year=2023')).json
  await until(async () => (await texts(page, 'funnel-group')).join(',') === teams.rows.map((r) => r.name).join(','), 'rows by team')
})

test('chain map: 新能源汽车 has three gaps, highlighted; the bureau adds a node and a target', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/chains/1?year=2023')
  await until(async () => (await texts(page, 'chain-segment')).length === 3, 'three segments')
  await until(async () => (await text(page, 'chain-gaps')) === '3', 'three gaps')
  const map = (await t.api('GET', '/api/chains/1/map')).json
  const gaps = map.segments.flatMap((s) => s.nodes.filter((n) => n.gap).map((n) => n.name))
  expectEqual(gaps.length, 3, 'the API has three gaps')
  const marked = await page.locator('[data-testid="chain-node"].gap').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')))
  expectEqual(marked.join(','), gaps.join(','), 'the gap nodes highlighted')
  const segs = (await page.locator('[data-testid="chain-segment"] h2').allInnerTexts()).map((s) => s.trim())
  expectEqual(segs.join(','), '上游,中游,下游', 'segments')
  const leads = await text(page, 'chain-leads')
  expect(leads.includes(`洽谈中 ${map.leads.negotiating}`), `leads by stage: ${leads}`)
  await page.locator('[data-testid="node-add"]').click()
  await fill(page, 'node-name', '车规级芯片')
  await page.locator('[data-testid="node-submit"]').click()
  await until(async () => (await page.locator('[data-testid="chain-node"][data-node="车规级芯片"]').count()) === 1, 'the new node')
  await until(async () => (await text(page, 'chain-gaps')) === '4', 'a node without a local company is a gap')
  const node = page.locator('[data-testid="chain-node"][data-node="车规级芯片"]')
  await node.locator('[data-testid="node-company-add"]').click()
  await fill(page, 'nc-company', '上海恒远电子科技有限公司(示例)')
  await page.locator('[data-testid="nc-local"]').click()
  await page.locator('[data-testid="nc-submit"]').click()
  await until(async () => (await node.locator('[data-testid="chain-local"]').count()) === 1, 'the company on the node')
  await until(async () => (await text(page, 'chain-gaps')) === '3', 'the gap closed')
})

test('chain map: a leader reads it without editing', async (t) => {
  const { page } = t
  await t.login('ld')
  await page.goto('/chains/1')
  await until(async () => (await texts(page, 'chain-segment')).length === 3, 'three segments')
  expectEqual(await page.locator('[data-testid="node-add"]').count(), 0, 'no add button')
  expectEqual(await page.locator('[data-testid="node-company-add"]').count(), 0, 'no company button')
})
