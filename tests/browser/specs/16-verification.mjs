// Figures one can trust on a project's page: the bureau verifies reported
// milestones against their evidence (errors beside the field, 409s shown),
// withdraws a verification, confirms an outsized amount entered by someone
// else (not its own: 403 same_person), and records the referring unit with
// its share. Region operators and leaders see all of it and may do none.
import { test, expect, expectEqual, fill, choose, options, until, texts, text } from '../lib.mjs'

const CODE = 'VF-0001'
const CREDIT = '91320500MA1HWLX65J'

async function ok(r, what) {
  expect(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${JSON.stringify(r.json)}`)
  return r.json
}

// Uploads a small PDF as evidence of a milestone.
async function upload(page, code, milestone, kind, name) {
  return page.evaluate(async ([c, m, k, n]) => {
    const s = await fetch('/api/session').then((r) => r.json())
    const body = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
    const r = await fetch(`/api/projects/${c}/milestones/${m}/evidence?kind=${k}&name=${encodeURIComponent(n)}`, {
      method: 'POST',
      headers: { 'X-CSRF-Token': s.csrf_token, 'Content-Type': 'application/pdf' },
      body,
    })
    return { status: r.status, json: await r.json() }
  }, [code, milestone, kind, name])
}

async function tagText(page, m) {
  return text(page, `verified-${m}`)
}

const fieldError = (page, field) => page.locator(`[data-testid="verify-dialog"] [data-field="${field}"] .el-form-item__error`)

test('verification: a region operator and a leader see 待核验 and get no 核验 button', async (t) => {
  const { page } = t
  await t.login('bu')
  await ok(await t.api('POST', '/api/projects', {
    code: CODE, name: '浏览器核验新材料项目', investor: '苏州核验测试材料有限公司', investor_province: '江苏省',
    region: '襄城区', amount_yi: '6.5', signed_on: '2025-04-01',
  }), 'create')
  await ok(await t.api('PUT', `/api/projects/${CODE}/milestones/registered`, { date: '2025-04-20' }), 'registered')
  await ok(await t.api('PUT', `/api/projects/${CODE}/milestones/started`, { date: '2025-05-10' }), 'started')
  await ok(await upload(page, CODE, 'registered', 'licence', '营业执照.pdf'), 'licence')
  await ok(await upload(page, CODE, 'registered', 'other', '其他材料.pdf'), 'other')
  for (const user of ['xc', 'ld']) {
    await t.context.clearCookies()
    await t.login(user)
    await page.goto(`/projects/${CODE}`)
    expectEqual(await tagText(page, 'registered'), '待核验', `${user}: 注册`)
    expectEqual(await tagText(page, 'started'), '待核验', `${user}: 开工`)
    expectEqual(await page.locator('[data-testid="verified-included"]').count(), 0, `${user}: no tag on an unreported milestone`)
    expectEqual(await page.locator('[data-testid^="verify-"], [data-testid^="unverify-"]').count(), 0, `${user}: no verification buttons`)
  }
  expectEqual((await t.api('PUT', `/api/projects/${CODE}/milestones/registered/verification`, { reference: CREDIT })).status, 403, 'the API refuses the leader')
})

test('verification: the bureau verifies 注册 (errors beside the field), 409s are shown, and withdraws it', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto(`/projects/${CODE}`)
  expectEqual(await tagText(page, 'registered'), '待核验', '注册 before')
  await page.locator('[data-testid="verify-registered"]').click()
  const dialog = page.locator('[data-testid="verify-dialog"]')
  await dialog.locator('[data-testid="verify-save"]').waitFor()
  // The credit code is asked for, then checked by the server.
  await dialog.locator('[data-testid="verify-save"]').click()
  await fieldError(page, 'reference').waitFor()
  expect((await fieldError(page, 'reference').innerText()).includes('统一社会信用代码'), 'reference asked for')
  await fill(page, 'verify-reference', '91420600MA4XXXXXXX')
  await dialog.locator('[data-testid="verify-save"]').click()
  const bad = await t.api('PUT', `/api/projects/${CODE}/milestones/registered/verification`, { reference: '91420600MA4XXXXXXX' })
  expectEqual(bad.json.error.field, 'reference', 'the API blames the reference')
  await until(async () => (await fieldError(page, 'reference').innerText()) === bad.json.error.message, 'the server\'s message beside the reference')
  // The wrong kind of file: beside the evidence.
  await fill(page, 'verify-reference', CREDIT)
  const evidence = (await t.api('GET', `/api/projects/${CODE}/evidence`)).json
  await choose(page, 'verify-evidence', '其他材料.pdf')
  await dialog.locator('[data-testid="verify-save"]').click()
  const other = evidence.find((e) => e.file_name === '其他材料.pdf')
  const wrong = await t.api('PUT', `/api/projects/${CODE}/milestones/registered/verification`, { reference: CREDIT, evidence_id: other.id })
  expectEqual(wrong.json.error.field, 'evidence_id', 'the API blames the file')
  await until(async () => (await fieldError(page, 'evidence').count()) && (await fieldError(page, 'evidence').innerText()) === wrong.json.error.message, 'the server\'s message beside the file')
  expectEqual(await fieldError(page, 'reference').count(), 0, 'no message beside the reference any more')
  // The licence, with a note.
  await choose(page, 'verify-evidence', '营业执照.pdf')
  await fill(page, 'verify-note', '已核对营业执照原件')
  await dialog.locator('[data-testid="verify-save"]').click()
  await dialog.waitFor({ state: 'hidden' })
  await until(async () => (await tagText(page, 'registered')) === '✓ 已核验', '注册 verified')
  const p = (await t.api('GET', `/api/projects/${CODE}`)).json
  expectEqual(p.timeline.find((m) => m.milestone === 'registered').verified, true, 'the API says verified')
  const vs = (await t.api('GET', `/api/projects/${CODE}/verifications`)).json
  expectEqual(vs.length, 1, 'one verification')
  expectEqual(vs[0].reference, CREDIT, 'its reference')
  expectEqual(vs[0].evidence_id, evidence.find((e) => e.file_name === '营业执照.pdf').id, 'its file')
  await until(async () => (await texts(page, 'vr-reference')).join() === CREDIT, 'the verification listed')
  const row = await page.locator('[data-testid="verifications-table"] .el-table__body tr').first().innerText()
  expect(row.includes('营业执照.pdf') && row.includes('已核对营业执照原件') && row.includes('bu') && row.includes('有效'), `row: ${row}`)

  // 开工 without a permit or photo: 409 evidence_missing beside the file.
  await page.locator('[data-testid="verify-started"]').click()
  await dialog.locator('[data-testid="verify-save"]').click()
  const missing = await t.api('PUT', `/api/projects/${CODE}/milestones/started/verification`, {})
  expectEqual(missing.status, 409, 'evidence_missing status')
  expectEqual(missing.json.error.code, 'evidence_missing', 'evidence_missing code')
  await until(async () => (await fieldError(page, 'evidence').count()) && (await fieldError(page, 'evidence').innerText()) === missing.json.error.message, 'evidence_missing beside the file')
  // 开工 cleared meanwhile: 409 not_reached, shown at the top of the dialog.
  await ok(await t.api('PUT', `/api/projects/${CODE}/milestones/started`, { date: null }), 'clear 开工')
  await dialog.locator('[data-testid="verify-save"]').click()
  const notReached = await t.api('PUT', `/api/projects/${CODE}/milestones/started/verification`, {})
  expectEqual(notReached.json.error.code, 'not_reached', 'not_reached code')
  await until(async () => (await text(page, 'verify-error')) === notReached.json.error.message, 'not_reached shown')
  await page.keyboard.press('Escape')
  await ok(await t.api('PUT', `/api/projects/${CODE}/milestones/started`, { date: '2025-05-10' }), '开工 again')

  // Withdraw 注册's verification.
  await page.reload()
  await page.locator('[data-testid="unverify-registered"]').click()
  await page.locator('[data-testid="unverify-confirm"]').click()
  await until(async () => (await tagText(page, 'registered')) === '待核验', '注册 unverified')
  const after = (await t.api('GET', `/api/projects/${CODE}/verifications`)).json
  expect(after.length === 1 && after[0].withdrawn_by === 'bu' && after[0].withdrawn_at, `withdrawn: ${JSON.stringify(after)}`)
  await until(async () => (await page.locator('[data-testid="vr-status"]').first().innerText()).includes('已撤销'), 'listed as withdrawn')
  await page.locator('[data-testid="verify-registered"]').waitFor()
  await page.getByRole('tab', { name: '变更记录' }).click()
  await until(async () => {
    const rows = await page.locator('[data-testid="history-table"] .el-table__body tr').allInnerTexts()
    return rows.some((r) => r.includes('撤销核验')) && rows.some((r) => r.includes('核验节点') && r.includes(CREDIT))
  }, 'the history shows verifying and withdrawing')
})

test('amount: an outsized amount waits for a second person; the bureau confirms another\'s, not its own', async (t) => {
  const { page } = t
  await t.login('xc')
  const p1 = await ok(await t.api('POST', '/api/projects', {
    code: 'AM-0001', name: '浏览器大额算力中心项目', investor: '北京星河算力测试科技有限公司', investor_province: '北京市',
    region: '襄城区', amount_yi: '60', signed_on: '2025-05-06',
  }), 'create AM-0001')
  expectEqual(p1.amount_pending, true, 'AM-0001 pending')
  await page.goto('/projects/AM-0001')
  expectEqual(await text(page, 'amount-pending'), '待第二人确认,暂不计入', 'the tag for xc')
  expectEqual(await page.locator('[data-testid="amount-confirm"]').count(), 0, 'no confirm for xc')
  expectEqual((await t.api('POST', '/api/projects/AM-0001/amount-confirmation')).status, 403, 'the API refuses xc')

  await t.context.clearCookies()
  await t.login('bu')
  await page.goto('/projects/AM-0001')
  await page.locator('[data-testid="amount-confirm"]').click()
  expect((await page.locator('[data-testid="amount-dialog"]').innerText()).includes('60'), 'the dialog names the amount')
  await page.locator('[data-testid="amount-confirm-save"]').click()
  await page.locator('[data-testid="amount-pending"]').waitFor({ state: 'detached' })
  expectEqual((await t.api('GET', '/api/projects/AM-0001')).json.amount_pending, false, 'confirmed in the API')
  expectEqual(await page.locator('[data-testid="amount-confirm"]').count(), 0, 'no button once confirmed')

  // The bureau's own entry: 403 same_person, shown in the dialog.
  const p2 = await ok(await t.api('POST', '/api/projects', {
    code: 'AM-0002', name: '浏览器汉江新材料产业园', investor: '上海蓝海材料测试集团有限公司', investor_province: '上海市',
    region: '襄城区', amount_yi: '75', signed_on: '2025-05-07',
  }), 'create AM-0002')
  expectEqual(p2.amount_pending, true, 'AM-0002 pending')
  await page.goto('/projects/AM-0002')
  await page.locator('[data-testid="amount-confirm"]').click()
  await page.locator('[data-testid="amount-confirm-save"]').click()
  const same = await t.api('POST', '/api/projects/AM-0002/amount-confirmation')
  expectEqual(same.status, 403, 'same_person status')
  expectEqual(same.json.error.code, 'same_person', 'same_person code')
  const shown = await text(page, 'amount-error')
  expect(shown.includes('不能确认自己填报的金额') && shown.includes(same.json.error.message), `shown: ${shown}`)
  expectEqual((await t.api('GET', '/api/projects/AM-0002')).json.amount_pending, true, 'still pending')
})

test('referral: the bureau records, changes and removes the referring unit; others only read it', async (t) => {
  const { page } = t
  const CODE = 'RF-0001'
  await t.login('bu')
  await ok(await t.api('POST', '/api/projects', {
    code: CODE, name: '浏览器引荐智能装备项目', investor: '宁波引荐测试装备有限公司', investor_province: '浙江省',
    region: '襄城区', amount_yi: '4.2', signed_on: '2025-03-12',
  }), 'create')
  await page.goto(`/projects/${CODE}`)
  await page.locator('[data-testid="referral-none"]').waitFor()
  await page.locator('[data-testid="referral-edit"]').click()
  // The landing region is not offered; every other county-level unit is.
  const regions = (await t.api('GET', '/api/regions')).json.filter((r) => r.level === 'county').map((r) => r.name)
  await until(async () => (await options(page, 'rf-unit')).length === regions.length - 1, 'the counties offered')
  const offered = await options(page, 'rf-unit')
  expectEqual(offered.join(), regions.filter((r) => r !== '襄城区').join(), 'counties but the landing one')
  // A city department, with a share the server refuses.
  await page.locator('[data-testid="rf-kind-department"]').click()
  const departments = (await t.api('GET', '/api/departments')).json.map((d) => d.name)
  expectEqual((await options(page, 'rf-unit')).join(), departments.join(), 'the departments offered')
  await choose(page, 'rf-unit', '市发改委')
  await fill(page, 'rf-share', '101')
  await page.locator('[data-testid="rf-save"]').click()
  const refused = await t.api('PUT', `/api/projects/${CODE}/referral`, { kind: 'department', unit: '市发改委', share: 101 })
  const shareErr = page.locator('[data-testid="referral-dialog"] [data-field="share"] .el-form-item__error')
  await until(async () => (await shareErr.count()) && (await shareErr.innerText()) === refused.json.error.message, 'the refusal beside the share')
  await fill(page, 'rf-share', '30')
  await page.locator('[data-testid="rf-save"]').click()
  await until(async () => (await page.locator('[data-testid="referral-unit"]').count()) > 0, 'the referral shown')
  expectEqual(await text(page, 'referral-unit'), '市发改委', 'unit')
  expectEqual(await text(page, 'referral-share'), '份额 30%', 'share')
  const r1 = (await t.api('GET', `/api/projects/${CODE}/referral`)).json.referral
  expect(r1.kind === 'department' && r1.unit === '市发改委' && r1.share === 30, `API: ${JSON.stringify(r1)}`)
  // Changed to the chain task force.
  await page.locator('[data-testid="referral-edit"]').click()
  await page.locator('[data-testid="rf-kind-chain"]').click()
  await choose(page, 'rf-unit', '新能源汽车')
  await fill(page, 'rf-share', '20')
  await page.locator('[data-testid="rf-save"]').click()
  await until(async () => (await text(page, 'referral-unit')) === '新能源汽车', 'changed')
  const r2 = (await t.api('GET', `/api/projects/${CODE}/referral`)).json.referral
  expect(r2.kind === 'chain' && r2.share === 20, `API: ${JSON.stringify(r2)}`)
  expect((await text(page, 'referral-text')).includes('产业链专班'), 'the kind shown')
  // The region operator reads it, may not change it.
  await t.context.clearCookies()
  await t.login('xc')
  await page.goto(`/projects/${CODE}`)
  await until(async () => (await page.locator('[data-testid="referral-unit"]').count()) > 0, 'xc sees it')
  expectEqual(await text(page, 'referral-unit'), '新能源汽车', 'xc reads the unit')
  expectEqual(await page.locator('[data-testid="referral-edit"], [data-testid="referral-remove"]').count(), 0, 'no change for xc')
  // Removed by the bureau.
  await t.context.clearCookies()
  await t.login('bu')
  await page.goto(`/projects/${CODE}`)
  await page.locator('[data-testid="referral-remove"]').click()
  await page.locator('[data-testid="referral-remove-confirm"]').click()
  await page.locator('[data-testid="referral-none"]').waitFor()
  expectEqual((await t.api('GET', `/api/projects/${CODE}/referral`)).json.referral, null, 'removed in the API')
})
