// The project list: filters, sorting, keyset paging; a region operator's
// narrowed view.
import { test, expect, expectEqual, choose, options, until, texts, text, cents, fill } from '../lib.mjs'

async function tableSettled(page) {
  await page.locator('[data-testid="project-table"] .el-loading-mask').waitFor({ state: 'hidden' }).catch(() => {})
}

test('projects: filtering by region and search narrows the list', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/projects')
  await until(async () => (await texts(page, 'cell-region')).length === 20, 'a first page of 20 rows')
  const all = await text(page, 'project-total')
  await choose(page, 'filter-region', '樊城区')
  await page.locator('[data-testid="filter-apply"]').click()
  await until(async () => {
    const regions = await texts(page, 'cell-region')
    return regions.length > 0 && regions.every((r) => r === '樊城区')
  }, 'every row is in 樊城区')
  const some = await text(page, 'project-total')
  expect(some !== all, `the total changes with the filter: ${all} / ${some}`)
  expect(page.url().includes('region='), 'the filter is in the address')
  // The server's count for the same filter.
  const api = await t.api('GET', '/api/projects?region=' + encodeURIComponent('樊城区') + '&limit=1&with_total=1')
  expect(some.includes(api.json.total.toLocaleString('en-US')), `total ${some} vs ${api.json.total}`)
  // Back returns to the previous search.
  await page.goBack()
  await until(async () => (await text(page, 'project-total')) === all, 'the unfiltered list after going back')
  await page.goForward()
  await until(async () => (await text(page, 'project-total')) === some, 'the filter again after going forward')
  // Search by a known code.
  await choose(page, 'filter-region', '襄城区')
  await fill(page, 'filter-q', 'XY2023-0003')
  await page.locator('[data-testid="filter-apply"]').click()
  await until(async () => (await page.locator('[data-testid="project-link"]').count()) === 1, 'one project found')
  expectEqual((await texts(page, 'cell-region'))[0], '襄城区', 'its region')
})

test('projects: sorting by amount and paging through the list', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/projects?year=2023')
  await until(async () => (await texts(page, 'cell-signed')).length === 20, 'the first page')
  // Default: newest signing first.
  const signed = await texts(page, 'cell-signed')
  expect(signed.every((d, i) => i === 0 || signed[i - 1] >= d), `signed_on descending: ${signed}`)
  // Sort by amount, ascending then descending, by the column header.
  const header = page.locator('[data-testid="project-table"] th', { hasText: '合同投资额' })
  await header.click()
  await until(async () => page.url().includes('sort=amount') && page.url().includes('order=asc'), 'sorted ascending in the address')
  await tableSettled(page)
  let amounts = await until(async () => {
    const a = await texts(page, 'cell-amount')
    return a.length === 20 && a.every((x, i) => i === 0 || cents(a[i - 1]) <= cents(x)) ? a : null
  }, 'amounts ascending')
  await header.click()
  await until(async () => page.url().includes('sort=amount') && !page.url().includes('order=asc'), 'sorted descending')
  await tableSettled(page)
  amounts = await until(async () => {
    const a = await texts(page, 'cell-amount')
    return a.length === 20 && cents(a[0]) >= cents(a[19]) && a.every((x, i) => i === 0 || cents(a[i - 1]) >= cents(x)) ? a : null
  }, 'amounts descending')
  const first = amounts
  // Paging with the cursor: page 2 continues where page 1 ended.
  const pageText = await text(page, 'page-number')
  expect(/第 1 \/ \d+ 页/.test(pageText), `page number: ${pageText}`)
  const codes1 = await page.locator('[data-testid="project-link"]').allInnerTexts()
  await page.locator('[data-testid="page-next"]').click()
  await until(async () => (await text(page, 'page-number')).startsWith('第 2'), 'page 2')
  await tableSettled(page)
  const second = await until(async () => {
    const a = await texts(page, 'cell-amount')
    const c = await page.locator('[data-testid="project-link"]').allInnerTexts()
    return a.length === 20 && c[0] !== codes1[0] ? a : null
  }, 'page 2 rows')
  expect(cents(second[0]) <= cents(first[19]), `page 2 starts at or below page 1's end: ${first[19]} / ${second[0]}`)
  await page.locator('[data-testid="page-prev"]').click()
  await until(async () => (await text(page, 'page-number')).startsWith('第 1'), 'back on page 1')
  await until(async () => (await page.locator('[data-testid="project-link"]').allInnerTexts())[0] === codes1[0], 'page 1 again')
})

test('projects: a region operator sees only 襄城区 and nothing of other regions', async (t) => {
  const { page } = t
  await t.login('xc')
  await page.goto('/projects')
  await until(async () => (await texts(page, 'cell-region')).length > 0, 'rows')
  const regions = await texts(page, 'cell-region')
  expect(regions.every((r) => r === '襄城区'), `regions: ${[...new Set(regions)]}`)
  const offered = await options(page, 'filter-region')
  expect(offered.length >= 1 && offered.every((r) => r === '襄城区'), `region choices: ${offered}`)
  // The server refuses other regions' lists and records.
  const other = await t.api('GET', '/api/projects?region=' + encodeURIComponent('樊城区'))
  expectEqual(other.status, 403, 'list of 樊城区')
  // XY2023-0002 is a project of 枣阳市 in the demo.
  const detail = await t.api('GET', '/api/projects/XY2023-0002')
  expectEqual(detail.status, 403, 'another region\'s project')
  await page.goto('/projects/XY2023-0002')
  const msg = await text(page, 'forbidden')
  expect(msg.includes('无权'), `forbidden message: ${msg}`)
  expectEqual(await page.locator('[data-testid="detail-name"]').count(), 0, 'no project shown')
  // The figures stay city-wide.
  await page.goto('/dashboard')
  await until(async () => (await text(page, 'hl-count')) === '1,499', 'city-wide figures')
})
