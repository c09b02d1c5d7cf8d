// One project, one record: the project form asks before saving a suspected
// duplicate (what a region operator may not read shows only its region and
// the reasons), the 疑似重复 page shows the open groups side by side, the
// bureau marks a group distinct or merges it, and a merged project's old code
// leads to the project it was merged into.
import { test, expect, expectEqual, fill, choose, setDate, until, texts } from '../lib.mjs'

const BASE = { name: '浏览器查重电子元器件项目', investor: '杭州查重测试电子有限公司', investor_province: '浙江省', amount_yi: '8' }

async function create(t, body) {
  const r = await t.api('POST', '/api/projects', body)
  expectEqual(r.status, 201, `create ${body.code}: ${JSON.stringify(r.json)}`)
}

// Fills the new-project form with BASE in `region` (left alone when empty).
async function fillForm(page, code, region, signed) {
  await fill(page, 'f-code', code)
  await fill(page, 'f-name', BASE.name)
  await fill(page, 'f-investor', BASE.investor)
  await choose(page, 'f-province', BASE.investor_province)
  if (region) await choose(page, 'f-region', region)
  await fill(page, 'f-amount', BASE.amount_yi)
  await setDate(page, 'f-signed', signed)
}

async function groupOf(t, code) {
  const r = await t.api('GET', '/api/duplicates')
  expectEqual(r.status, 200, 'GET /api/duplicates')
  return r.json.find((g) => g.codes.includes(code)) || null
}

test('duplicates: the project form shows suspected duplicates before saving; cancel writes nothing, save anyway saves', async (t) => {
  const { page } = t
  await t.login('bu')
  await create(t, { code: 'DP-A', ...BASE, region: '襄城区', signed_on: '2025-04-01' })
  const check = await t.api('POST', '/api/duplicates/check', { code: 'DP-B', ...BASE, region: '樊城区', signed_on: '2025-04-02' })
  expectEqual(check.json.duplicates.length, 1, 'the API finds DP-A')
  const want = check.json.duplicates[0]
  await page.goto('/projects/new')
  await fillForm(page, 'DP-B', '樊城区', '2025-04-02')
  await page.locator('[data-testid="f-submit"]').click()
  const dialog = page.locator('[data-testid="dup-dialog"]')
  await dialog.locator('[data-testid="dup-table"]').waitFor()
  expect((await dialog.innerText()).includes('疑似重复,仍要保存?'), 'the dialog asks')
  expectEqual((await texts(page, 'dup-code')).join(), 'DP-A', 'the suspected project')
  expectEqual((await texts(page, 'dup-name')).join(), BASE.name, 'its name')
  expectEqual((await texts(page, 'dup-region')).join(), '襄城区', 'its region')
  expectEqual((await texts(page, 'dup-amount')).join(), '8.00', 'its amount')
  expectEqual((await texts(page, 'dup-score')).join(), want.score, 'the score')
  const reasons = (await texts(page, 'dup-reasons')).join()
  for (const r of want.reason_names) expect(reasons.includes(r), `reason ${r} in ${reasons}`)
  expect(reasons.includes('落地区域不同'), `another region: ${reasons}`)
  // Cancel: nothing is written and the form stays.
  await page.locator('[data-testid="dup-cancel"]').click()
  await dialog.waitFor({ state: 'hidden' })
  expect(page.url().endsWith('/projects/new'), `still on the form: ${page.url()}`)
  expectEqual((await t.api('GET', '/api/projects/DP-B')).status, 404, 'DP-B after cancel')
  // Save anyway.
  await page.locator('[data-testid="f-submit"]').click()
  await page.locator('[data-testid="dup-save"]').click()
  await page.waitForURL(/\/projects\/DP-B$/)
  expectEqual((await t.api('GET', '/api/projects/DP-B')).json.region, '樊城区', 'DP-B saved')
  const g = await groupOf(t, 'DP-B')
  expect(g && g.codes.join() === 'DP-A,DP-B', `the group: ${JSON.stringify(g)}`)
})

test('duplicates: editing checks too; a region operator sees only the region and reasons of what it may not read', async (t) => {
  const { page } = t
  await t.login('xc')
  // xc may read DP-A (襄城区), not DP-B (樊城区).
  await page.goto('/projects/new')
  await page.locator('[data-testid="project-form"]').waitFor()
  await fillForm(page, 'DP-C', null, '2025-04-03')
  await page.locator('[data-testid="f-submit"]').click()
  await page.locator('[data-testid="dup-table"]').waitFor()
  await until(async () => (await texts(page, 'dup-region')).length === 2, 'two suspected projects')
  expectEqual((await texts(page, 'dup-code')).join(), 'DP-A', 'the readable one has its code')
  expectEqual((await texts(page, 'dup-hidden')).length, 1, 'one hidden')
  expectEqual((await texts(page, 'dup-region')).sort().join(), ['樊城区', '襄城区'].sort().join(), 'both regions')
  const hiddenRow = page.locator('[data-testid="dup-table"] .el-table__body tr', { has: page.locator('[data-testid="dup-hidden"]') })
  const hiddenText = await hiddenRow.innerText()
  expect(!hiddenText.includes('DP-B') && !hiddenText.includes(BASE.investor) && hiddenText.includes('同一投资方'), `hidden row: ${hiddenText}`)
  await page.locator('[data-testid="dup-cancel"]').click()
  expectEqual((await t.api('GET', '/api/projects/DP-C')).status, 404, 'nothing written')
  // Editing DP-A's amount: still like DP-B, asked again.
  await t.context.clearCookies()
  await t.login('bu')
  await page.goto('/projects/DP-A/edit')
  await page.locator('[data-testid="project-form"]').waitFor()
  await until(async () => (await page.locator('input[data-testid="f-amount"], [data-testid="f-amount"] input').first().inputValue()) === '8', 'the form is loaded')
  await fill(page, 'f-amount', '8.2')
  await page.locator('[data-testid="f-submit"]').click()
  await page.locator('[data-testid="dup-table"]').waitFor()
  expectEqual((await texts(page, 'dup-code')).join(), 'DP-B', 'DP-A is not its own duplicate')
  await page.locator('[data-testid="dup-cancel"]').click()
  expectEqual((await t.api('GET', '/api/projects/DP-A')).json.amount_yi, '8', 'unchanged after cancel')
})

test('duplicates page: groups side by side; only the bureau may mark distinct or merge; marking distinct closes a group', async (t) => {
  const { page } = t
  await t.login('bu')
  const other = { name: '浏览器查重冷链物流园', investor: '成都查重冷链物流有限公司', investor_province: '四川省', amount_yi: '3' }
  await create(t, { code: 'DQ-A', ...other, region: '襄州区', signed_on: '2025-03-01' })
  await create(t, { code: 'DQ-B', ...other, region: '枣阳市', signed_on: '2025-03-05' })
  const inXc = { name: '浏览器查重光伏组件项目', investor: '常州查重光伏科技有限公司', investor_province: '江苏省', amount_yi: '5' }
  await create(t, { code: 'DR-A', ...inXc, region: '襄城区', signed_on: '2025-02-01' })
  await create(t, { code: 'DR-B', ...inXc, region: '襄城区', signed_on: '2025-02-01' })
  const all = (await t.api('GET', '/api/duplicates')).json
  await page.goto('/duplicates')
  await until(async () => (await page.locator('[data-testid="dup-group"]').count()) === all.length, `${all.length} groups`)
  const g = all.find((x) => x.codes.join() === 'DP-A,DP-B')
  const card = page.locator('[data-testid="dup-group"][data-codes="DP-A,DP-B"]')
  expectEqual((await card.locator('[data-testid="group-score"]').innerText()).trim(), g.score, 'group score')
  expectEqual((await card.locator('[data-testid="group-code"]').allInnerTexts()).join(), 'DP-A,DP-B', 'side by side')
  expectEqual((await card.locator('[data-testid="group-region"]').allInnerTexts()).join(), '襄城区,樊城区', 'regions')
  expectEqual((await card.locator('[data-testid="group-investor"]').allInnerTexts()).join(), `${BASE.investor},${BASE.investor}`, 'investors')
  const reasons = await card.locator('[data-testid="group-reasons"]').innerText()
  for (const r of g.reason_names) expect(reasons.includes(r), `reason ${r}`)
  // The region operator: only the group wholly inside 襄城区, and no actions.
  await t.context.clearCookies()
  await t.login('xc')
  const mine = (await t.api('GET', '/api/duplicates')).json
  expectEqual(mine.map((x) => x.codes.join()).join('|'), 'DR-A,DR-B', 'xc\'s groups from the API')
  await page.goto('/duplicates')
  await until(async () => (await page.locator('[data-testid="dup-group"]').count()) === 1, 'one group for xc')
  expectEqual(await page.locator('[data-testid="dup-group"]').getAttribute('data-codes'), 'DR-A,DR-B', 'xc\'s group')
  expectEqual(await page.locator('[data-testid="dup-merge"], [data-testid="dup-distinct"]').count(), 0, 'no merge or distinct for xc')
  expectEqual((await t.api('POST', '/api/duplicates/distinct', { codes: ['DR-A', 'DR-B'] })).status, 403, 'the API refuses xc')
  // The bureau marks DQ distinct.
  await t.context.clearCookies()
  await t.login('bu')
  await page.goto('/duplicates')
  const dq = page.locator('[data-testid="dup-group"][data-codes="DQ-A,DQ-B"]')
  await dq.locator('[data-testid="dup-distinct"]').click()
  await page.locator('[data-testid="distinct-confirm"]').click()
  await dq.waitFor({ state: 'detached' })
  expectEqual(await groupOf(t, 'DQ-A'), null, 'DQ is no longer suspected')
  expectEqual(await page.locator('[data-testid="dup-group"]').count(), all.length - 1, 'one group fewer')
})

test('duplicates merge: the bureau keeps one project; the old code leads to it and both histories show the merge', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/duplicates')
  const card = page.locator('[data-testid="dup-group"][data-codes="DP-A,DP-B"]')
  await card.locator('[data-testid="dup-merge"]').click()
  await page.locator('[data-testid="merge-keep-DP-B"]').click()
  await until(async () => (await page.locator('[data-testid="merge-will"]').innerText()).includes('将并入 DP-B 并删除:DP-A'), 'keeping DP-B')
  await page.locator('[data-testid="merge-keep-DP-A"]').click()
  await until(async () => (await page.locator('[data-testid="merge-will"]').innerText()).includes('将并入 DP-A 并删除:DP-B'), 'keeping DP-A')
  await page.locator('[data-testid="merge-confirm"]').click()
  await page.locator('[data-testid="merge-done"]').waitFor()
  await card.waitFor({ state: 'detached' })
  const old = await t.api('GET', '/api/projects/DP-B')
  expectEqual(old.status, 404, 'DP-B after the merge')
  expectEqual(old.json.error.code, 'merged', 'error code')
  expectEqual(old.json.error.merged_into, 'DP-A', 'merged_into')
  // The old code: a link to the kept project and its own history.
  await page.goto('/projects/DP-B')
  await page.locator('[data-testid="merged"]').waitFor()
  expect((await page.locator('[data-testid="merged"]').innerText()).includes('DP-A'), 'names the kept project')
  await until(async () => (await page.locator('[data-testid="merged-history"] .el-table__body tr').allInnerTexts()).some((r) => r.includes('合并重复项目') && r.includes('DP-A')), 'the old history shows the merge')
  await page.locator('[data-testid="merged-link"]').click()
  await page.waitForURL(/\/projects\/DP-A$/)
  await page.locator('[data-testid="detail-name"]').waitFor()
  await page.getByRole('tab', { name: '变更记录' }).click()
  await until(async () => (await page.locator('[data-testid="history-table"] .el-table__body tr').allInnerTexts()).some((r) => r.includes('合并重复项目') && r.includes('DP-B')), 'the kept history shows the merge')
})
