// The dashboard: the demo's 2023 figures at first sight, the as-of picker,
// the charts, and printing.
import { test, expect, expectEqual, waitText, setDate, text } from '../lib.mjs'

test('dashboard: first sight shows the demo figures of 2023', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.waitForURL(/\/dashboard/)
  await waitText(page, 'hl-count', '1,499')
  expectEqual(await text(page, 'hl-amount'), '8,851.55', '合同投资额')
  expectEqual(await text(page, 'hl-started'), '727', '已开工')
  expectEqual(await text(page, 'hl-rate'), '48.50%', '落地转化率')
  expectEqual(await text(page, 'hl-event'), '259', '平台活动签约')
  expectEqual(await text(page, 'hl-event-amount'), '3,720.56', '平台活动签约额')
  expectEqual(await text(page, 'hl-foreign'), '571', '外向型项目')
  await page.waitForURL(/year=2023&as_of=2023-12-31/)
  const period = await text(page, 'dash-period')
  expect(period.includes('2023-01-01') && period.includes('2023-12-31'), `period: ${period}`)
  for (const chart of ['chart-month', 'chart-region', 'chart-chain', 'chart-warnings'])
    await page.locator(`[data-testid="${chart}"] canvas`).first().waitFor()
  const latest = await page.locator('[data-testid="latest-table"] .el-table__body tr').count()
  expectEqual(latest, 10, 'latest signings rows')
})

test('dashboard: another as-of day gives that day\'s figures (first half of 2023)', async (t) => {
  const { page } = t
  await t.login('ld')
  await waitText(page, 'hl-count', '1,499')
  await setDate(page, 'dash-asof', '2023-06-30')
  await waitText(page, 'hl-count', '956')
  expectEqual(await text(page, 'hl-amount'), '5,351.33', '上半年合同投资额')
})
