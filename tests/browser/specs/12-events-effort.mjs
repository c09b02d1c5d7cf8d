// 以会招商 and 工作量: the year's effort report with the demo's figures, the
// events with their follow-through, campaigns, trips with their visits,
// stationed teams; recording a trip and a visit.
import { test, expect, expectEqual, text, texts, until, fill, choose, setDate } from '../lib.mjs'

test('effort: 2023 shows 25 trips of the city\'s main leaders, 750 county days and 866 intentions', async (t) => {
  const { page } = t
  await t.login('ld')
  await page.goto('/effort')
  // Opens on the year of the latest trip: 2023 on the demo.
  await page.waitForURL(/year=2023/)
  const e = (await t.api('GET', '/api/reports/effort?year=2023')).json
  await until(async () => (await text(page, 'effort-city_main-trips')) === '25', '25 trips')
  expectEqual(e.trips.city_main.trips, 25, 'the API agrees')
  expectEqual(await text(page, 'effort-city_main-companies'), '52', 'companies visited by the main leaders')
  expectEqual(await text(page, 'effort-city_deputy-trips'), '42', 'deputies\' trips')
  expectEqual(await text(page, 'effort-county-days'), '750', 'county leaders\' days out')
  expectEqual(await text(page, 'effort-county-companies'), '715', 'county leaders\' companies')
  expectEqual(await text(page, 'effort-county-major'), '72', 'major projects from county visits')
  expectEqual(await text(page, 'effort-intentions'), '866', 'stationed teams\' intentions')
  expectEqual(await text(page, 'effort-events'), '43', 'events')
  expectEqual(await text(page, 'effort-campaigns'), '52', 'campaigns')
  expectEqual(await text(page, 'effort-targeted'), '98', '点题招商 projects')
  const sentence = await text(page, 'effort-sentence')
  expect(sentence.includes('25 次') && sentence.includes('750 天') && sentence.includes('72 个'), `sentence: ${sentence}`)
  const rows = await page.locator('[data-testid="effort-counties"] .el-table__body tr').allInnerTexts()
  expectEqual(rows.length, e.county_trips_by_region.length, 'every county-level unit')
  expect(rows[0].replace(/\s+/g, ' ').trim() === `${e.county_trips_by_region[0].region} ${e.county_trips_by_region[0].trips} ${e.county_trips_by_region[0].days}`, `first county row: ${rows[0]}`)
  await page.locator('[data-testid="effort-chart"] canvas').first().waitFor()
  // Another year: none of it.
  await choose(page, 'effort-year', '2024年')
  await until(async () => (await text(page, 'effort-city_main-trips')) === '0', 'nothing in 2024')
})

test('events: the 43 events of 2023; an event\'s signed projects and follow-through figures', async (t) => {
  const { page } = t
  await t.login('ld')
  await page.goto('/events?year=2023')
  const list = (await t.api('GET', '/api/events?year=2023')).json
  expectEqual(list.length, 43, 'the demo\'s 43 events')
  await until(async () => (await texts(page, 'event-link')).length === 43, '43 events listed')
  const signed = list.reduce((n, e) => n + e.projects, 0)
  expectEqual(await text(page, 'events-summary'), `共 43 场活动,签约 ${signed} 个项目`, 'summary')
  expectEqual(signed, 259, 'the 259 event signings')
  expectEqual(await page.locator('[data-testid="effort-add"]').count(), 0, 'a leader records nothing')
  const big = [...list].sort((a, b) => b.projects - a.projects)[0]
  await page.locator('[data-testid="event-link"]', { hasText: big.name }).click()
  await page.waitForURL(new RegExp('/events/' + big.id + '$'))
  const ev = (await t.api('GET', '/api/events/' + big.id)).json
  await until(async () => (await text(page, 'event-name')) === big.name, 'the event page')
  const ft = ev.follow_through
  for (const k of ['signed', 'registered', 'started', 'included', 'producing', 'terminated'])
    expectEqual(await text(page, 'ft-' + k), String(ft[k]), `follow-through ${k}`)
  expectEqual(await text(page, 'ft-rate'), ft.started_rate === null ? '—' : ft.started_rate + '%', 'start rate')
  expect(ft.signed === big.projects && ft.registered > 0 && ft.started > 0, 'the demo\'s event followed through')
  expectEqual((await texts(page, 'event-project')).sort().join(), ev.projects.map((p) => p.code).sort().join(), 'its projects')
})

test('events: campaigns, trips of the city\'s main leaders with their visits, stationed teams', async (t) => {
  const { page } = t
  await t.login('ld')
  await page.goto('/events?tab=campaigns&year=2023')
  await until(async () => (await page.locator('[data-testid="campaigns-table"] .el-table__body tr').count()) === 52, '52 campaigns in 2023')
  await page.goto('/events?tab=trips&year=2023&level=city_main')
  await until(async () => (await texts(page, 'trip-link')).length === 25, '25 trips of the main leaders')
  const trips = (await t.api('GET', '/api/trips?year=2023&leader_level=city_main')).json
  const days = trips.reduce((n, x) => n + x.days, 0)
  expect((await text(page, 'trips-summary')).startsWith(`共 25 次,${days} 天`), 'trip summary')
  await page.locator('[data-testid="trip-link"]').first().click()
  await page.waitForURL(/\/trips\/\d+$/)
  const trip = (await t.api('GET', '/api/trips/' + page.url().split('/').pop())).json
  await until(async () => (await texts(page, 'visit-company')).length === trip.visit_list.length, 'its visits')
  expectEqual((await texts(page, 'visit-company')).join('|'), trip.visit_list.map((v) => v.company).join('|'), 'companies visited')
  await page.locator('[data-testid="visit-company"]').first().click()
  await page.waitForURL(new RegExp('/companies/' + trip.visit_list[0].company_id + '$'))
  await page.goto('/events?tab=teams')
  const teams = (await t.api('GET', '/api/teams')).json
  await until(async () => (await texts(page, 'team-name')).length === teams.length, 'the teams')
  const intentions = (await texts(page, 'team-intentions')).reduce((n, s) => n + Number(s), 0)
  expectEqual(intentions, 866, 'the teams\' intentions add up to 866')
})

test('events: the bureau records a trip and a visit (a date outside the trip refused beside the field)', async (t) => {
  const { page } = t
  await t.login('bu')
  await page.goto('/events?tab=trips&year=2025')
  await page.locator('[data-testid="effort-add"]').click()
  await choose(page, 'ef-leader_level', '市主要领导')
  await fill(page, 'ef-leader', '浏览器测试市长')
  await setDate(page, 'ef-starts_on', '2025-06-10')
  await setDate(page, 'ef-ends_on', '2025-06-12')
  await fill(page, 'ef-cities', '深圳')
  await page.locator('[data-testid="ef-submit"]').click()
  await page.waitForURL(/\/trips\/\d+$/)
  await until(async () => (await text(page, 'trip-dates')).startsWith('2025-06-10 — 2025-06-12(3 天)'), 'the trip')
  await page.locator('[data-testid="visit-add"]').click()
  await fill(page, 'vf-company', '江苏龙蟠科技股份有限公司')
  await setDate(page, 'vf-visited_on', '2025-06-20')
  await page.locator('[data-testid="vf-submit"]').click()
  const err = page.locator('[data-testid="vf-form"] .el-form-item.is-error')
  await until(async () => (await err.count()) === 1 && (await err.innerText()).includes('起止日期'), 'the date refused beside it')
  await setDate(page, 'vf-visited_on', '2025-06-11')
  await fill(page, 'vf-outcome', '达成增资意向')
  await page.locator('[data-testid="vf-submit"]').click()
  await until(async () => (await texts(page, 'visit-company')).join() === '江苏龙蟠科技股份有限公司', 'the visit listed')
  const e = (await t.api('GET', '/api/reports/effort?year=2025')).json
  expectEqual(e.trips.city_main.trips, 1, 'the trip counts in 2025')
  await page.goto('/effort?year=2025')
  await until(async () => (await text(page, 'effort-city_main-trips')) === '1', 'and on the effort page')
})
