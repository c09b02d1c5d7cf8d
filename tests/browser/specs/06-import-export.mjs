// Import: a dry run lists every row's error and writes nothing; a clean file
// is then imported. Export downloads the current filter as CSV or XLSX, and an
// exported file checks clean when imported again.
import { readFileSync } from 'node:fs'
import { test, expect, expectEqual, text, until, texts } from '../lib.mjs'

const HEAD = '项目编号,项目名称,投资方,投资方省份,落地县市区,合同投资额(亿元),签约日期,外向型\r\n'
const GOOD1 = 'IMP-2025-0001,导入测试电机项目,苏州导入测试电机有限公司,江苏,襄州区,6.8,2025/6/3,否\r\n'
const GOOD2 = 'IMP-2025-0002,导入测试包装项目,杭州导入测试包装有限公司,浙江省,宜城市,2.15,2025年6月5日,是\r\n'
const BAD2 = 'IMP-2025-0002,导入测试包装项目,杭州导入测试包装有限公司,火星,宜城市,两亿,2025年6月5日,是\r\n'

async function upload(page, name, content) {
  await page.locator('[data-testid="import-file"]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) })
  await page.locator('[data-testid="import-check"]').click()
}

test('import: the dry run lists row errors and writes nothing; then a real import', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/projects')
  await page.locator('[data-testid="import-button"]').click()
  await page.waitForURL(/\/import$/)
  await upload(page, '有错误.csv', HEAD + GOOD1 + BAD2)
  await page.locator('[data-testid="import-errors"]').waitFor()
  const rows = await page.locator('[data-testid="import-errors"] .el-table__body tr').allInnerTexts()
  expect(rows.length >= 2, `two errors at least: ${rows}`)
  expect(rows.some((r) => r.includes('3') && r.includes('投资方省份') && r.includes('火星')), `province error on line 3: ${rows}`)
  expect(rows.some((r) => r.includes('3') && r.includes('合同投资额') && r.includes('两亿')), `amount error on line 3: ${rows}`)
  expect((await text(page, 'import-bad')).includes('未写入'), 'nothing written, says the page')
  expect(await page.locator('[data-testid="import-run"]').isDisabled(), 'import refused while there are errors')
  for (const code of ['IMP-2025-0001', 'IMP-2025-0002'])
    expectEqual((await t.api('GET', `/api/projects/${code}`)).status, 404, `${code} after the dry run`)
  // The corrected file: clean, then imported.
  await upload(page, '已修改.csv', HEAD + GOOD1 + GOOD2)
  const clean = await text(page, 'import-good')
  expect(clean.includes('2 行') && clean.includes('新建 2'), `dry run summary: ${clean}`)
  expectEqual((await t.api('GET', '/api/projects/IMP-2025-0001')).status, 404, 'still nothing written after a clean dry run')
  await page.locator('[data-testid="import-run"]').click()
  const done = await text(page, 'import-done')
  expect(done.includes('新建 2'), `import summary: ${done}`)
  const p = await t.api('GET', '/api/projects/IMP-2025-0002')
  expectEqual(p.status, 200, 'imported project')
  expectEqual(p.json.amount_yi, '2.15', 'its amount')
  expectEqual(p.json.foreign_oriented, true, 'its flag')
})

test('import: a region operator cannot import another region\'s rows', async (t) => {
  const { page } = t
  await t.login('xc')
  await page.goto('/import')
  await upload(page, '别的区.csv', HEAD + GOOD1.replace('IMP-2025-0001', 'IMP-2025-0009'))
  await page.locator('[data-testid="import-errors"]').waitFor()
  expectEqual((await t.api('GET', '/api/projects/IMP-2025-0009')).status, 404, 'not written')
})

test('export: the current filter downloads as CSV and XLSX; the export imports back unchanged', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/projects?region=' + encodeURIComponent('襄城区') + '&year=2023')
  await until(async () => (await texts(page, 'cell-region')).length > 0, 'the filtered list')
  const total = Number((await text(page, 'project-total')).replace(/[^0-9]/g, ''))
  const href = await page.locator('[data-testid="export-csv"]').getAttribute('href')
  expect(href.includes('format=csv') && href.includes('year=2023') && href.includes('region='), `export link: ${href}`)
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-csv"]').click()])
  expect(csvDownload.suggestedFilename().endsWith('.csv'), `file name ${csvDownload.suggestedFilename()}`)
  const csvPath = `${t.tmp}/export.csv`
  await csvDownload.saveAs(csvPath)
  const csv = readFileSync(csvPath, 'utf8')
  expect(csv.startsWith('\ufeff项目编号,'), 'UTF-8 with BOM and the Chinese header')
  const lines = csv.split('\r\n').filter((l) => l.length)
  expectEqual(lines.length - 1, total, 'rows in the file vs the list total')
  const header = lines[0].replace('\ufeff', '').split(',')
  const col = header.indexOf('落地县市区')
  expect(lines.slice(1).every((l) => l.split(',')[col] === '襄城区'), 'every row in 襄城区')
  const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-xlsx"]').click()])
  expect(xlsxDownload.suggestedFilename().endsWith('.xlsx'), `file name ${xlsxDownload.suggestedFilename()}`)
  const xlsxPath = `${t.tmp}/export.xlsx`
  await xlsxDownload.saveAs(xlsxPath)
  const xlsx = readFileSync(xlsxPath)
  expectEqual(xlsx.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX (zip) file')
  // Exporting and importing back changes nothing.
  await page.goto('/import')
  await page.locator('[data-testid="import-file"]').setInputFiles({
    name: 'export.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: xlsx,
  })
  await page.locator('[data-testid="import-check"]').click()
  const clean = await text(page, 'import-good')
  expect(clean.includes(`${total.toLocaleString('en-US')} 个无变化`), `re-import of the export: ${clean}`)
})

test('export and import: roles that only read get export but no import', async (t) => {
  const { page } = t
  await t.login('sv')
  await page.goto('/projects')
  await page.locator('[data-testid="export-csv"]').waitFor()
  expectEqual(await page.locator('[data-testid="import-button"]').count(), 0, 'import button for a supervisor')
  await page.goto('/import')
  await page.waitForURL(/\/dashboard/)
})
