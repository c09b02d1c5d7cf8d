// 月度督办: the monthly ranking with the last three marked and the projects
// behind an indicator; objections and the supervisor's publication; the
// bulletin with its paragraphs and XLSX download; the list of bulletins and
// the yearly briefing.
import { readFileSync } from 'node:fs'
import { test, expect, expectEqual, text, texts, until, fill, choose } from '../lib.mjs'

test('assessment: 2023-06 ranks 12 regions, marks the last three, drills into an indicator', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/assessments/2023-06')
  await until(async () => (await texts(page, 'assess-region')).length === 12, '12 regions')
  const api = (await t.api('GET', '/api/assessments/2023-06')).json
  expectEqual((await texts(page, 'assess-region')).join(','), api.ranking.map((r) => r.region).join(','), 'regions in rank order')
  expectEqual((await texts(page, 'assess-score')).join(','), api.ranking.map((r) => r.score).join(','), 'scores')
  expectEqual((await texts(page, 'assess-rank')).join(','), api.ranking.map((r) => String(r.rank)).join(','), 'ranks')
  // The last three rows are marked, and only they.
  const marked = await page.locator('[data-testid="assess-table"] .el-table__body tr.bottom3').allInnerTexts()
  expectEqual(marked.length, 3, 'rows marked bottom 3')
  const bottom = api.ranking.filter((r) => r.bottom3).map((r) => r.region)
  expectEqual(bottom.join(','), api.ranking.slice(-3).map((r) => r.region).join(','), 'the API marks the last three')
  for (const r of bottom) expect(marked.some((m) => m.includes(r)), `${r} marked`)
  expectEqual((await texts(page, 'assess-bottom3')).length, 3, 'bottom-3 tags')
  // The first region's signed projects open as links.
  await page.locator('[data-testid="assess-ind-signed_count"]').first().click()
  await page.locator('[data-testid="assess-drill"]').waitFor()
  const codes = await texts(page, 'assess-drill-code')
  expectEqual(codes.join(','), api.ranking[0].projects.signed_count.join(','), 'projects behind the indicator')
  await page.locator('[data-testid="assess-drill-code"]').first().click()
  await page.waitForURL(/\/projects\/XY/)
})

test('assessment: an objection, answered and published by the supervisor', async (t) => {
  const { page } = t
  await t.login('xc')
  await page.goto('/assessments/2023-07')
  await until(async () => (await texts(page, 'assess-region')).length === 12, 'ranking')
  expectEqual(await page.locator('[data-testid="assess-publish"]').count(), 0, 'no publish button for a region operator')
  await fill(page, 'objection-text', '襄城区6月开工项目漏统计')
  await page.locator('[data-testid="objection-submit"]').click()
  await until(async () => (await texts(page, 'objection')).some((s) => s.includes('漏统计') && s.includes('襄城区')), 'objection listed')
  await t.context.clearCookies()
  await t.login('sv')
  await page.goto('/assessments/2023-07')
  await page.locator('[data-testid="objection-answer"]').first().waitFor()
  await fill(page, 'objection-answer', '已核实,维持原结果')
  await page.getByRole('button', { name: '答复' }).first().click()
  await until(async () => (await texts(page, 'objection')).some((s) => s.includes('已核实')), 'answer shown')
  await page.locator('[data-testid="assess-publish"]').click()
  await until(async () => (await text(page, 'assess-status')).includes('已发布'), 'published')
  expectEqual(await page.locator('[data-testid="assess-publish"]').count(), 0, 'published once')
  expectEqual((await t.api('GET', '/api/assessments/2023-07')).json.published, true, 'the API says published')
  await page.goto('/bulletins')
  await until(async () => (await texts(page, 'bulletin-item')).some((s) => s.includes('2023-07')), 'the published bulletin listed')
})

test('bulletin: title, paragraphs per region, XLSX download; the yearly briefing', async (t) => {
  const { page } = t
  await t.login('ld')
  await page.goto('/bulletins/2023-06')
  await until(async () => (await text(page, 'bulletin-title')) === '2023年6月招商引资督办通报', 'title')
  const paras = await texts(page, 'bulletin-para')
  expect(paras.some((p) => p.includes('襄阳高新区以77.55分位列第一')), `paragraphs: ${paras.join('/')}`)
  const regions = await texts(page, 'bulletin-region')
  expectEqual(regions.length, 12, 'a paragraph per region')
  expect(regions[0].startsWith('襄阳高新区:签约亿元以上省外项目30个'), `first region: ${regions[0]}`)
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="bulletin-xlsx"]').click()])
  const file = `${t.tmp}/bulletin.xlsx`
  await download.saveAs(file)
  expectEqual(readFileSync(file).subarray(0, 2).toString('latin1'), 'PK', 'an XLSX (zip) file')
  await page.goto('/bulletins')
  await choose(page, 'briefing-year', '2023年')
  await until(async () => (await text(page, 'briefing-title')) === '2023年招商引资工作情况', 'briefing title')
  const brief = await text(page, 'briefing-text')
  expect(brief.includes('市主要领导外出招商25次'), `briefing: ${brief}`)
})
