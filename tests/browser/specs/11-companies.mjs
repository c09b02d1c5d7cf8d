// 客商库: search by name and credit code, tag filter, a company's page with
// its history (projects, events, leads, visits), create and edit with errors
// beside the field and duplicates pointed to; links from chain maps and leads.
import { test, expect, expectEqual, text, texts, until, fill, choose } from '../lib.mjs'

const rows = (page) => texts(page, 'company-link')

test('investors: search by credit code and name; 龙蟠\'s page shows its projects, event-free history and visits', async (t) => {
  const { page } = t
  await t.login('ld')
  await page.goto('/companies')
  await until(async () => (await rows(page)).length === 50, 'the first page of 50')
  expectEqual(await page.locator('[data-testid="company-new"]').count(), 0, 'a leader adds no company')
  // An exact credit code finds its one company.
  await fill(page, 'company-q', '91310115MABU5N4A1F')
  await page.locator('[data-testid="company-search"]').click()
  await until(async () => (await rows(page)).join('|') === '上海丰华光电有限公司(示例)', 'the company of the credit code')
  expectEqual((await texts(page, 'company-cell-credit')).join(), '91310115MABU5N4A1F', 'its code shown')
  await page.waitForURL(/q=91310115MABU5N4A1F/)
  // By name.
  await fill(page, 'company-q', '龙蟠')
  await page.locator('[data-testid="company-search"]').click()
  await until(async () => (await rows(page)).join('|') === '江苏龙蟠科技股份有限公司', '龙蟠 by name')
  expectEqual((await texts(page, 'company-cell-projects')).join(), '2', 'two projects')
  await page.locator('[data-testid="company-link"]').first().click()
  await page.waitForURL(/\/companies\/\d+$/)
  const c = (await t.api('GET', '/api/companies/' + page.url().split('/').pop())).json
  await until(async () => (await text(page, 'company-name')) === '江苏龙蟠科技股份有限公司', 'the company page')
  expectEqual(await text(page, 'company-home'), '江苏省 南京市', 'home province and city')
  await until(async () => (await texts(page, 'company-project')).sort().join() === 'XY2022-0019,XY2023-0135', 'its two projects')
  const visits = await page.locator('[data-testid="company-visits"] .el-table__body tr').allInnerTexts()
  expectEqual(visits.length, c.visits.length, 'visits listed')
  expect(visits[0].includes(c.visits[0].visited_on) && visits[0].includes('县级党政主要负责人'), `visit row: ${visits[0]}`)
  expectEqual(await page.locator('[data-testid="company-edit"]').count(), 0, 'a leader edits nothing')
})

test('investors: an event investor\'s page lists the event it signed at, linked to the event', async (t) => {
  const { page } = t
  await t.login('bu')
  const ev = (await t.api('GET', '/api/events/1')).json
  const p = ev.projects[0]
  const found = (await t.api('GET', '/api/companies?q=' + encodeURIComponent(p.investor))).json.items.find((x) => x.name === p.investor)
  await page.goto('/companies/' + found.id)
  await until(async () => (await texts(page, 'company-event')).includes(ev.name), `the event ${ev.name}`)
  await page.locator('[data-testid="company-event"]', { hasText: ev.name }).click()
  await page.waitForURL(new RegExp('/events/' + ev.id + '$'))
})

test('investors: create with errors beside the field, a duplicate pointed to, tags, edit and contacts', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/companies')
  await page.locator('[data-testid="company-new"]').click()
  // A wrong credit code: the message sits beside the field.
  await fill(page, 'cf-name', '襄阳客商测试新材料有限公司')
  await fill(page, 'cf-credit', '91310115MABU5N4A1X')
  await page.locator('[data-testid="cf-submit"]').click()
  const err = page.locator('[data-testid="company-form"] .el-form-item.is-error')
  await until(async () => (await err.count()) === 1 && (await err.innerText()).includes('GB 32100'), 'the credit code in error, with the rule')
  expect((await err.locator('.el-form-item__label').innerText()).includes('统一社会信用代码'), 'beside the credit code')
  // The credit code of an existing company: it is shown instead of a second record.
  await fill(page, 'cf-credit', '91310115MABU5N4A1F')
  await page.locator('[data-testid="cf-submit"]').click()
  await until(async () => (await text(page, 'cf-existing')) === '上海丰华光电有限公司(示例)', 'the existing company')
  expect((await text(page, 'cf-duplicate')).includes('已有该企业'), 'duplicate explained')
  // The same name as an existing company (after trimming).
  await fill(page, 'cf-credit', '')
  await fill(page, 'cf-name', '  江苏龙蟠科技股份有限公司 ')
  await page.locator('[data-testid="cf-submit"]').click()
  await until(async () => (await text(page, 'cf-existing')) === '江苏龙蟠科技股份有限公司', 'the same-name company')
  // A new one with tags.
  await fill(page, 'cf-name', '襄阳客商测试新材料有限公司')
  await choose(page, 'cf-province', '广东省')
  await fill(page, 'cf-city', '深圳市')
  await fill(page, 'cf-industry', '新材料')
  // A multiple select stays open while tags are picked.
  await page.locator('[data-testid="cf-tags"]').click()
  for (const tag of ['上市公司', '专精特新']) await page.locator('.el-select-dropdown__item:visible', { hasText: tag }).click()
  await page.locator('.el-dialog__title').click()
  await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden' })
  await page.locator('[data-testid="cf-submit"]').click()
  await page.waitForURL(/\/companies\/\d+$/)
  const id = page.url().split('/').pop()
  await until(async () => (await text(page, 'company-name')) === '襄阳客商测试新材料有限公司', 'the new company')
  expectEqual(await text(page, 'company-home'), '广东省 深圳市', 'home')
  expectEqual((await text(page, 'company-tags')).split(/\s+/).join(','), '上市公司,专精特新', 'tags')
  // Edit: the industry changes and the change is in the history.
  await page.locator('[data-testid="company-edit"]').click()
  await fill(page, 'cf-industry', '先进材料')
  await page.locator('[data-testid="cf-submit"]').click()
  await until(async () => (await text(page, 'company-industry')) === '先进材料', 'industry changed')
  await until(async () => (await page.locator('[data-testid="company-history"]').innerText()).includes('新材料 → 先进材料'), 'the change in the history')
  expectEqual((await t.api('GET', `/api/companies/${id}`)).json.industry, '先进材料', 'stored')
  // A contact, with a missing name refused beside the field.
  await page.locator('[data-testid="contact-add"]').click()
  await fill(page, 'ct-phone', '13800000000')
  await page.locator('[data-testid="ct-submit"]').click()
  await until(async () => (await page.locator('.el-dialog .el-form-item.is-error').count()) === 1, 'name required')
  await fill(page, 'ct-name', '王经理')
  await fill(page, 'ct-title', '投资总监')
  await page.locator('[data-testid="ct-submit"]').click()
  await until(async () => (await page.locator('[data-testid="company-contacts"]').innerText()).includes('王经理'), 'the contact listed')
  // The tag filter finds exactly the tagged companies.
  await page.goto('/companies')
  await choose(page, 'company-tag', '专精特新')
  const tagged = (await t.api('GET', '/api/companies?tag=' + encodeURIComponent('专精特新'))).json.items.map((x) => x.name)
  expect(tagged.includes('襄阳客商测试新材料有限公司'), 'the API finds it by tag')
  await until(async () => (await rows(page)).join('|') === tagged.join('|'), `tagged companies: ${tagged}`)
})

test('investors: company names on the chain map and on a lead open the company page', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/chains/1?year=2023')
  const link = page.locator('[data-testid="chain-company"]').first()
  await link.waitFor()
  const name = (await link.innerText()).trim()
  await link.click()
  await page.waitForURL(/\/companies\/\d+$/)
  await until(async () => (await text(page, 'company-name')) === name, `company page of ${name}`)
  const lead = (await t.api('GET', '/api/leads?limit=1')).json.items[0]
  await page.goto('/leads/' + lead.id)
  await page.locator('[data-testid="lead-company"]').click()
  await page.waitForURL(new RegExp('/companies/' + lead.company_id + '$'))
  await until(async () => (await texts(page, 'company-lead')).includes(lead.title), 'the lead among the company\'s leads')
})
