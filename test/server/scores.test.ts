// Score figures for the small seeded rounds of test/fixtures/scores.ts, against values worked
// out by hand. Round A, Cumbria Constabulary, the answers that count:
//   A-0001 R3.1 met, R4.2 met (on time), R7.1 partially met, R6.2 not met
//   A-0002 R3.1 met, R4.2 not evidenced, R7.1 not applicable, R6.2 met (3 days late)
//   A-0003 R3.1 met, R4.2 met (2 days late, overridden as on time), R7.1 met, R6.2 unanswered
//   A-0004 replaced, A-0005 unusable: left out
//   A-0006 R3.1 met (moderator; auditor said not met), R7.1 not met (moderator; auditor met),
//          R4.2 met, 5 days late (the moderator's row has no outcome yet, so the auditor's counts)
// → met 9, partially met 1, not met 2, not evidenced 1 (n = 13), not applicable 1.
//   Strict 9/13 = 69.2%, Wilson 42.4% to 87.3%; lenient 10/13 = 76.9%.
//   Timeliness: on time A-0001 R4.2 and A-0003 R4.2 (override); late A-0002 R6.2 (3), A-0006 R4.2 (5)
//   → 2 of 4 = 50.0%, median 4, 90th percentile 3 + 0.9·2 = 4.8 working days.
import t from 'tap'
import { buildTestApp, signedIn } from '../fixtures/app.ts'
import { addCase, createRound, seedScenario, setThresholds } from '../fixtures/scores.ts'
import { rowStarting, rowsByQa, sectionText, textOf } from '../fixtures/html.ts'

t.test('round dashboard: hand-computed figures per agency, theme and partnership', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const res = await admin.get(`/scores/rounds/${s.roundA}`)
  t.equal(res.statusCode, 200)
  const police = rowStarting(res.body, 'heatmap-row', 'Cumbria Constabulary')
  // Themes in order: Care and Respect, Enhanced Support, Communication and Information, Engagement and Collaboration.
  t.match(police, /^Cumbria Constabulary No applicable cases No data/, 'n = 0 reads "No applicable cases", never 0%')
  // Enhanced Support = R4.2: met, not evidenced, met, met → 3/4.
  t.match(police, /Enhanced Support: 75\.0% \(n = 4\) 95% interval 30\.1% to 95\.4% Small sample Red/)
  // Communication and Information = R3.1 (4 met) + R6.2 (met, not met; unanswered left out) → 5/6.
  t.match(police, /Communication and Information: 83\.3% \(n = 6\) 95% interval 43\.6% to 97\.0% Small sample Amber/)
  // Engagement = R7.1: partially met, met, not met (N/A left out) → 1/3 strict.
  t.match(police, /Engagement and Collaboration: 33\.3% \(n = 3\)/)
  t.match(police, /69\.2% \(n = 13\) 95% interval 42\.4% to 87\.3% Red$/)
  const cps = rowStarting(res.body, 'heatmap-row', 'Crown Prosecution Service North West')
  t.match(cps, /100\.0% \(n = 2\) 95% interval 34\.2% to 100\.0% Small sample Green$/, 'all met')
  const wcu = rowStarting(res.body, 'heatmap-row', 'Cumbria Witness Care Unit')
  t.match(wcu, /0\.0% \(n = 2\) 95% interval 0\.0% to 65\.8% Small sample Red$/, 'all not met')
  // Partnership: 9 + 2 + 0 met of 13 + 2 + 2.
  t.match(
    rowStarting(res.body, 'heatmap-row', 'All agencies (partnership)'),
    /64\.7% \(n = 17\) 95% interval 41\.3% to 82\.7% Red$/,
  )

  const overall = rowStarting(res.body, 'overall-row', 'Cumbria Constabulary')
  t.match(overall, /76\.9% \(n = 13\) 95% interval 49\.7% to 91\.8%/, 'lenient counts partially met as met')
  t.match(overall, /50\.0% \(n = 4\) on time; late ones: median 4 working days, 90th percentile 4\.8 working days/)
  t.notMatch(res.body, /weighted for the sample design/, 'no weighted estimate for a round without a stratified draw')
  t.match(res.body, /<svg[^>]*role="img"/, 'the bar chart')
  t.match(res.body, /<title id="round-\d+-overall-title">/)
})

t.test('drill-down: items, Rights and the moderator answer overriding the auditor', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const page = await admin.get(`/scores/rounds/${s.roundA}/agencies/${s.police}`)
  t.equal(page.statusCode, 200)
  const items = rowsByQa(page.body, 'item-row')
  const item = (id: string) => items.find((r) => r.startsWith(`${id} `)) ?? ''
  // R3.1: A-0006's auditor said not met, the moderator met: 4/4 (3/4 had the auditor's counted).
  t.match(item('R3.1'), /100\.0% \(n = 4\)/)
  // R7.1: the moderator's not met replaces the auditor's met: 1/3 (2/3 otherwise).
  t.match(item('R7.1'), /33\.3% \(n = 3\)/)
  t.match(item('R7.1'), /66\.7% \(n = 3\)/, 'lenient: partially met counts')
  // R4.2: a moderator row with no outcome does not displace the auditor's answer.
  t.match(item('R4.2'), /75\.0% \(n = 4\)/)
  t.match(item('R4.2'), /66\.7% \(n = 3\) on time; late ones: median 5 working days/, 'timeliness per item')
  // R6.2: the unanswered obligation is left out.
  t.match(item('R6.2'), /50\.0% \(n = 2\)/)
  t.match(item('R3.2'), /No applicable cases No data/, 'an item of the agency with no answers')
  t.match(textOf(page.body), /Right 3: Information when reporting: 100\.0% \(n = 4\)/, 'per Right')
  t.match(textOf(page.body), /Not applicable 1 answer \(left out of the figures\)/)
  t.match(rowStarting(page.body, 'theme-row', 'Communication and Information'), /83\.3% \(n = 6\)/)

  const cases = await admin.get(`/scores/rounds/${s.roundA}/agencies/${s.police}/items/R3.1`)
  t.equal(cases.statusCode, 200)
  const rows = rowsByQa(cases.body, 'case-row')
  t.same(
    rows.map((r) => r.split(' ')[0]),
    ['A-0001', 'A-0002', 'A-0003', 'A-0006'],
    'replaced and unusable cases are not behind the figure',
  )
  t.match(rows[3] ?? '', /^A-0006 Met Moderated/)
  t.notMatch(cases.body, /Primary marker thought not done/, 'notes are never shown')
  const late = await admin.get(`/scores/rounds/${s.roundA}/agencies/${s.police}/items/R4.2`)
  t.match(rowsByQa(late.body, 'case-row').find((r) => r.startsWith('A-0003')) ?? '', /2 \(judged on time by override\)/)
  t.match(
    rowsByQa(late.body, 'case-row').find((r) => r.startsWith('A-0006')) ?? '',
    /Met 29 January 2024 1 February 2024 5$/,
  )
})

t.test('red, amber and green follow the round thresholds', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const band = async () =>
    rowStarting((await admin.get(`/scores/rounds/${s.roundA}`)).body, 'overall-row', 'Cumbria Constabulary')
  t.match(await band(), /69\.2% \(n = 13\) 95% interval 42\.4% to 87\.3% Red/)
  setThresholds(db, s.roundA, 60, 50)
  t.match(await band(), /69\.2% \(n = 13\) 95% interval 42\.4% to 87\.3% Green/)
  setThresholds(db, s.roundA, 70, 65)
  t.match(await band(), /69\.2% \(n = 13\) 95% interval 42\.4% to 87\.3% Amber/)
  const page = await admin.get(`/scores/rounds/${s.roundA}`)
  t.match(page.body, /green at 70% or above, amber from 65%/)
})

t.test('stratified round: the estimate weighted for the sample design beside the raw one', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const res = await admin.get(`/scores/rounds/${s.roundB}`)
  t.equal(res.statusCode, 200)
  t.match(res.body, /Strict, weighted for the sample design/)
  // North: 100 cases, 2 audited, 15 of 20 met; South: 300 cases, 2 audited, 5 of 10 met.
  // Weights 100·20/2 : 300·10/2 = 0.4 : 0.6 → 0.4·0.75 + 0.6·0.5 = 60.0%; its interval is Wilson's
  // on the effective size 0.24/0.0114807 = 20.9 obligations: 39.1% to 77.8%. The raw pooled rate
  // is 20/30 = 66.7%.
  const row = rowStarting(res.body, 'overall-row', 'Cumbria Constabulary')
  t.match(row, /66\.7% \(n = 30\)/)
  t.match(row, /60\.0% 95% interval 39\.1% to 77\.8% Red/)
  t.match(res.body, /Provisional: this round is fieldwork, not published/)
  const report = await admin.get(`/scores/rounds/${s.roundB}/report`)
  t.match(sectionText(report.body, 'report-method'), /estimated number of obligations in that stratum's population/)
  t.match(sectionText(report.body, 'report-method'), /ignores the clustering of obligations within cases/)
  t.match(sectionText(report.body, 'report-method'), /North \(100 cases\), South \(300 cases\)/)
})

t.test('a round without answers shows no applicable cases, never 0%', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const empty = createRound(db, {
    name: 'Empty 2018 audit',
    periodFrom: '2018-01-01',
    periodTo: '2018-03-31',
    agencyIds: [s.police, s.cps],
  })
  addCase(db, empty, { ref: 'E-0001', status: 'not_started' })
  const admin = await signedIn(app, 'admin@qaf.example')
  const res = await admin.get(`/scores/rounds/${empty}`)
  t.equal(res.statusCode, 200)
  t.equal(rowsByQa(res.body, 'heatmap-row').length, 3, 'both agencies in scope and the partnership')
  for (const row of rowsByQa(res.body, 'heatmap-row')) t.notMatch(row, /\d%/, `${row.slice(0, 30)}: no percentage`)
  t.match(rowStarting(res.body, 'heatmap-row', 'Cumbria Constabulary'), /No applicable cases No data$/)
  t.match(res.body, /No applicable cases/)
})

t.test('Ministry of Justice measures per agency', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const res = await admin.get(`/scores/rounds/${s.roundA}/moj`)
  t.equal(res.statusCode, 200)
  // One table per agency, named in its caption (issue 14: the agency is not repeated on each row).
  const tables = [...res.body.matchAll(/<caption[^>]*>([^<]*)<\/caption>([\s\S]*?)<\/table>/g)].map((m) => ({
    agency: (m[1] ?? '').trim(),
    rows: rowsByQa(m[2] ?? '', 'moj-row'),
  }))
  const row = (agency: string, measure: string) =>
    tables.find((x) => x.agency === agency)?.rows.find((r) => r.startsWith(measure)) ?? ''
  t.match(row('Cumbria Constabulary', 'Written acknowledgement of the crime report'), /4 4 100\.0% \(n = 4\)/)
  t.match(row('Cumbria Constabulary', 'Referral to victim support services'), /3 4 75\.0% \(n = 4\)/)
  t.match(row('Cumbria Constabulary', 'Timely updates of adequate quality'), /1 2 50\.0% \(n = 2\)/)
  t.match(row('Cumbria Constabulary', 'Offered a Victim Personal Statement'), /1 3 33\.3% \(n = 3\)/)
  t.match(row('Cumbria Constabulary', "Told the offender's release date in advance"), /0 0 No applicable cases/)
  t.match(row('Crown Prosecution Service North West', 'Timely updates of adequate quality'), /2 2 100\.0% \(n = 2\)/)
  t.match(row('All agencies (partnership)', 'Timely updates of adequate quality'), /3 4 75\.0% \(n = 4\)/)
})

t.test('trends: across rounds and Code editions, with the verdict of the comparison', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const overall = await admin.get(`/scores/trends?agency=${s.police}&measure=overall`)
  t.equal(overall.statusCode, 200)
  const rows = rowsByQa(overall.body, 'trend-row')
  t.equal(rows.length, 3, 'every round the admin may see, oldest first')
  // Winter 2020 (2015 Code): V15-P01 0 of 10, V15-P05 4 of 4 → 4/14.
  t.match(rows[0] ?? '', /^Winter 2020 audit .* 2015 28\.6% \(n = 14\)/)
  // 4/14 → 9/13: the difference's interval (+3.2 to +65.4 points) lies above 0.
  t.match(
    rows[1] ?? '',
    /^Spring 2024 audit .* 69\.2% \(n = 13\) .* Better \+40\.7 points since Winter 2020 audit \(95% interval \+3\.2 to \+65\.4\)/,
  )
  // 9/13 → 20/30 (Summer, provisional): no clear change.
  t.match(rows[2] ?? '', /^Summer 2024 audit Provisional .* 66\.7% \(n = 30\) .* No clear change/)
  t.match(overall.body, /<svg[^>]*role="img"/)
  t.match(overall.body, /<polyline /, 'the trend line')

  // R3.1 in the 2015 Code is V15-P01 (an equivalent match).
  const item = await admin.get(`/scores/trends?agency=${s.police}&measure=item:R3.1`)
  const itemRows = rowsByQa(item.body, 'trend-row')
  t.match(itemRows[0] ?? '', /2015 Counted on V15-P01 \(equivalent\) 0\.0% \(n = 10\)/)
  t.match(itemRows[1] ?? '', /100\.0% \(n = 4\) .* Too few cases to say/, 'four obligations: no verdict (issue 14)')
  t.match(itemRows[2] ?? '', /Not measured|No applicable cases/)
  // R6.1 maps from V15-P05 only in part: the round is marked.
  const partial = await admin.get(`/scores/trends?agency=${s.police}&measure=item:R6.1`)
  t.match(
    rowsByQa(partial.body, 'trend-row')[0] ?? '',
    /Partial match Counted on V15-P05: 2020 adds an offer of referral to support 100\.0% \(n = 4\)/,
  )
  // An item with no 2015 counterpart.
  const r11 = await admin.get('/scores/trends?measure=item:R1.1')
  t.match(rowsByQa(r11.body, 'trend-row')[0] ?? '', /Not measured in the 2015 Code/)
  // A theme, partnership-wide.
  const theme = await admin.get('/scores/trends?measure=theme:communication_information')
  t.match(
    rowsByQa(theme.body, 'trend-row')[1] ?? '',
    /70\.0% \(n = 10\)/,
    'Spring 2024 partnership Communication and Information',
  )
})

t.test('partnership summary: headline scores and the changes the intervals support', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const viewer = await signedIn(app, 'viewer@qaf.example')
  const res = await viewer.get('/scores/summary')
  t.equal(res.statusCode, 200)
  t.match(
    textOf(res.body),
    /The latest published round is Spring 2024 audit/,
    'the unpublished Summer round is not the latest for the summary',
  )
  t.match(rowStarting(res.body, 'headline-row', 'Cumbria Constabulary'), /69\.2% \(n = 13\)/)
  t.match(rowStarting(res.body, 'headline-row', 'All agencies (partnership)'), /64\.7% \(n = 17\)/)
  const changes = rowsByQa(res.body, 'change-row')
  t.ok(
    changes.some((r) =>
      /^Cumbria Constabulary: Overall compliance 28\.6% \(n = 14\) 69\.2% \(n = 13\) Better \+40\.7/.test(r),
    ),
    'the police improvement is listed',
  )
  t.match(res.body, /data-qa="falls-none"/, 'no falls the intervals support')
  const main = /<main[\s\S]*<\/main>/.exec(res.body)?.[0] ?? ''
  t.notMatch(main, /[Ff]indings/, 'no findings block: there is no findings data yet')
  t.ok(s.roundB > 0)
})
