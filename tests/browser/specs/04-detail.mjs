// A project's page: the milestone timeline with each milestone's due date and
// state colour, the rules, and a read-only view for roles that do not write.
import { test, expect, expectEqual, text } from '../lib.mjs'

async function milestone(page, m) {
  const card = page.locator(`[data-testid="timeline"] [data-milestone="${m}"]`)
  await card.waitFor()
  return {
    state: await card.getAttribute('data-state'),
    cls: await card.getAttribute('class'),
    date: (await card.locator('[data-testid="m-date"]').innerText()).trim(),
    text: (await card.innerText()).trim(),
  }
}

test('detail: the timeline shows each milestone with its due date and state', async (t) => {
  const { page } = t
  await t.login('bu')
  // Signed 2023-12-31; registered late (due 2024-02-29); 开工 不适用.
  await page.goto('/projects/XY2023-1753')
  expectEqual(await text(page, 'detail-name'), '晟通污水处理设备项目(示例)', 'name')
  const signed = await milestone(page, 'signed')
  expectEqual(signed.date, '2023-12-31', '签约 date')
  const reg = await milestone(page, 'registered')
  expectEqual(reg.state, 'late_done', '注册 state')
  expect(reg.cls.includes('state-late_done'), `注册 colour class: ${reg.cls}`)
  expect(reg.text.includes('2024-02-29') && reg.text.includes('逾期完成'), `注册 card: ${reg.text}`)
  const started = await milestone(page, 'started')
  expectEqual(started.state, 'exempt', '开工 state')
  expectEqual(started.date, '不适用', '开工 shown as 不适用')
  const included = await milestone(page, 'included')
  expectEqual(included.state, 'none', '入库 has no rule state yet')
  expectEqual(included.date, '未填报', '入库 not yet')
  // An overdue registration, as of today.
  await page.goto('/projects/XY2022-0042')
  const overdue = await milestone(page, 'registered')
  expectEqual(overdue.state, 'overdue', 'XY2022-0042 注册')
  expect(overdue.cls.includes('state-overdue'), 'overdue colour')
  expect(overdue.text.includes('2022-06-03') && overdue.text.includes('已逾期'), `card: ${overdue.text}`)
  const rules = await page.locator('[data-testid="rules-table"] .el-table__body tr').allInnerTexts()
  expect(rules.some((r) => r.includes('签约后2个月内注册') && r.includes('已逾期')), `rules: ${rules}`)
})

test('detail: a leader reads a project but is offered no entry, edit or termination', async (t) => {
  const { page } = t
  await t.login('ld')
  await page.goto('/projects/XY2022-0042')
  await page.locator('[data-testid="timeline"]').waitFor()
  for (const id of ['edit-project', 'terminate-open', 'ms-edit-registered', 'ev-upload-registered'])
    expectEqual(await page.locator(`[data-testid="${id}"]`).count(), 0, `${id} buttons`)
  // The history tab is there for every reader.
  await page.getByRole('tab', { name: '变更记录' }).click()
  await page.locator('[data-testid="history-table"] .el-table__body tr').first().waitFor()
  const rows = await page.locator('[data-testid="history-table"] .el-table__body tr').allInnerTexts()
  expect(rows.some((r) => r.includes('新建项目')), `history: ${rows}`)
})
