// Who sees which scores: auditors none, viewers/agencies/the advocate only published rounds,
// agency users only their own agency anywhere (pages, drill-downs, charts, exports), and
// case-level answers only for admins, moderators and the advocate.
import t from 'tap'
import ExcelJS from 'exceljs'
import { buildTestApp, signedIn } from '../fixtures/app.ts'
import { CPS, POLICE, WITNESS_CARE, seedScenario } from '../fixtures/scores.ts'
import { rowsByQa } from '../fixtures/html.ts'

const OTHERS_OF_POLICE = [CPS, WITNESS_CARE, 'All agencies (partnership)']

async function xlsxText(body: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(body as unknown as ArrayBuffer)
  const parts: string[] = []
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => parts.push(String(cell.value)))))
  return parts.join('\n')
}

t.test('auditors see no scores at all', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const auditor = await signedIn(app, 'auditor@qaf.example')
  const home = await auditor.get('/')
  t.notMatch(home.body, /href="\/scores"/, 'no Scores link in their navigation')
  for (const url of [
    '/scores',
    '/scores/summary',
    '/scores/trends',
    `/scores/rounds/${s.roundA}`,
    `/scores/rounds/${s.roundA}/agencies/${s.police}`,
    `/scores/rounds/${s.roundA}/agencies/${s.police}/items/R3.1`,
    `/scores/rounds/${s.roundA}/moj`,
    `/scores/rounds/${s.roundA}/moj.csv`,
    `/scores/rounds/${s.roundA}/export.csv`,
    `/scores/rounds/${s.roundA}/export.xlsx`,
    `/scores/rounds/${s.roundA}/report`,
  ]) {
    const res = await auditor.get(url)
    t.equal(res.statusCode, 404, `auditor: ${url}`)
    t.match(res.body, /Page not found/)
  }
})

t.test('viewers see published rounds only; admins and moderators see all, marked provisional', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const viewer = await signedIn(app, 'viewer@qaf.example')
  const list = await viewer.get('/scores')
  t.equal(list.statusCode, 200)
  t.match(list.body, /Spring 2024 audit/)
  t.match(list.body, /Winter 2020 audit/)
  t.notMatch(list.body, /Summer 2024 audit/, 'the round in fieldwork is not listed')
  t.match(list.body, /href="\/scores\/trends"/)
  t.match(list.body, /href="\/scores\/summary"/)
  t.match(list.body, new RegExp(`href="/scores/rounds/${s.roundA}"`))
  for (const url of [
    `/scores/rounds/${s.roundB}`,
    `/scores/rounds/${s.roundB}/export.csv`,
    `/scores/rounds/${s.roundB}/report`,
    `/scores/rounds/${s.roundB}/agencies/${s.police}`,
  ]) {
    t.equal((await viewer.get(url)).statusCode, 404, `viewer: ${url}`)
  }
  const trends = await viewer.get('/scores/trends')
  t.notMatch(trends.body, /Summer 2024 audit/, 'nor in trends')
  t.equal(rowsByQa(trends.body, 'trend-row').length, 2)

  for (const email of ['admin@qaf.example', 'moderator@qaf.example']) {
    const s2 = await signedIn(app, email)
    const all = await s2.get('/scores')
    t.match(
      all.body,
      /Summer 2024 audit<\/a><\/th>[\s\S]*?Provisional/,
      `${email} sees the unpublished round, marked provisional`,
    )
    t.equal((await s2.get(`/scores/rounds/${s.roundB}`)).statusCode, 200)
  }
  const advocate = await signedIn(app, 'advocate@qaf.example')
  t.notMatch((await advocate.get('/scores')).body, /Summer 2024 audit/, 'the advocate sees published rounds only')
})

t.test('agency users see only their own agency, everywhere', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const police = await signedIn(app, 'police@qaf.example')
  const pages = [
    '/scores',
    '/scores/summary',
    '/scores/trends',
    `/scores/trends?measure=theme:communication_information`,
    `/scores/rounds/${s.roundA}`,
    `/scores/rounds/${s.roundA}/agencies/${s.police}`,
    `/scores/rounds/${s.roundA}/moj`,
    `/scores/rounds/${s.roundA}/report`,
    `/scores/rounds/${s.roundA}/moj.csv`,
    `/scores/rounds/${s.roundA}/export.csv`,
  ]
  for (const url of pages) {
    const res = await police.get(url)
    t.equal(res.statusCode, 200, url)
    for (const other of OTHERS_OF_POLICE) t.notOk(res.body.includes(other), `${url} does not name ${other}`)
  }
  const dashboard = await police.get(`/scores/rounds/${s.roundA}`)
  const rows = rowsByQa(dashboard.body, 'heatmap-row')
  t.equal(rows.length, 1, 'one row: their own agency, no partnership row')
  t.match(rows[0] ?? '', new RegExp(`^${POLICE} .*69\\.2% \\(n = 13\\)`), 'their figures are the same as everyone sees')
  t.match(dashboard.body, /You see your own agency only/)
  const svg = /<svg[\s\S]*?<\/svg>/.exec(dashboard.body)?.[0] ?? ''
  t.match(svg, /Constabulary/)
  t.notMatch(svg, /CPS|Witness Care|All agencies/, 'the chart has their bar only')

  const xlsx = await police.get(`/scores/rounds/${s.roundA}/export.xlsx`)
  t.equal(xlsx.statusCode, 200)
  const text = await xlsxText(xlsx.rawPayload)
  t.match(text, new RegExp(POLICE))
  for (const other of OTHERS_OF_POLICE) t.notOk(text.includes(other), `XLSX does not name ${other}`)

  for (const url of [
    `/scores/rounds/${s.roundA}/agencies/${s.cps}`,
    `/scores/rounds/${s.roundA}/agencies/${s.witnessCare}`,
    `/scores/trends?agency=${s.cps}`,
    `/scores/rounds/${s.roundA}/agencies/${s.police}/items/R3.1`,
    `/scores/rounds/${s.roundB}`,
  ]) {
    t.equal((await police.get(url)).statusCode, 404, `police: ${url} answers 404`)
  }
  const own = await police.get(`/scores/trends?agency=${s.police}`)
  t.equal(own.statusCode, 200, 'naming their own agency is fine')
  t.match(own.body, /Agency: <strong>Cumbria Constabulary<\/strong>/, 'the agency filter is fixed to their own')

  const cps = await signedIn(app, 'cps@qaf.example')
  const cpsDash = await cps.get(`/scores/rounds/${s.roundA}`)
  t.match(cpsDash.body, new RegExp(CPS))
  t.notOk(cpsDash.body.includes(POLICE), 'CPS does not see the police')
  t.equal((await cps.get(`/scores/rounds/${s.roundA}/agencies/${s.police}`)).statusCode, 404)
})

t.test('case answers behind a figure: admin, moderator and advocate only', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const url = `/scores/rounds/${s.roundA}/agencies/${s.police}/items/R3.1`
  for (const email of ['admin@qaf.example', 'moderator@qaf.example', 'advocate@qaf.example']) {
    t.equal((await (await signedIn(app, email)).get(url)).statusCode, 200, email)
  }
  for (const email of ['viewer@qaf.example', 'police@qaf.example', 'auditor@qaf.example']) {
    t.equal((await (await signedIn(app, email)).get(url)).statusCode, 404, email)
  }
  const viewer = await signedIn(app, 'viewer@qaf.example')
  const agencyPage = await viewer.get(`/scores/rounds/${s.roundA}/agencies/${s.police}`)
  t.equal(agencyPage.statusCode, 200)
  t.notMatch(agencyPage.body, /\/items\/R3\.1/, 'viewers get no link to case answers')
  const admin = await signedIn(app, 'admin@qaf.example')
  t.match((await admin.get(`/scores/rounds/${s.roundA}/agencies/${s.police}`)).body, /\/items\/R3\.1/)
})

t.test('bad ids answer 404, never 500', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  for (const url of [
    '/scores/rounds/abc',
    '/scores/rounds/0',
    '/scores/rounds/99999',
    '/scores/rounds/99999/export.csv',
    `/scores/rounds/${s.roundA}/agencies/x`,
    `/scores/rounds/${s.roundA}/agencies/99999`,
    `/scores/rounds/${s.roundA}/agencies/${s.police}/items/NOPE`,
    '/scores/trends?agency=99999',
    '/scores/trends?agency=abc',
  ]) {
    t.equal((await admin.get(url)).statusCode, 404, url)
  }
  // A round's cases may hold duties of either edition (each under the Code in force on its trigger
  // date), so a 2015 item's answers open in a 2020-headed round.
  t.equal((await admin.get(`/scores/rounds/${s.roundA}/agencies/${s.police}/items/V15-P01`)).statusCode, 200)
})

t.test('trends filter: htmx gets the results fragment, a plain request the page', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const url = `/scores/trends?agency=${s.police}&measure=overall`
  const page = await admin.get(url)
  t.equal(page.statusCode, 200)
  t.match(page.body, /<html/)
  t.match(page.body, /<form method="get" action="\/scores\/trends"[^>]*hx-get="\/scores\/trends"/)
  const fragment = await admin.get(url, { 'HX-Request': 'true' })
  t.equal(fragment.statusCode, 200)
  t.notMatch(fragment.body, /<html|<form/)
  t.match(fragment.body, /^\s*<div id="trend-results"/)
  t.equal(rowsByQa(fragment.body, 'trend-row').length, 3)
  const boosted = await admin.get(url, { 'HX-Request': 'true', 'HX-Boosted': 'true' })
  t.match(boosted.body, /<html/, 'a boosted link gets the page')

  const bad = await admin.get('/scores/trends?measure=item:NOPE')
  t.equal(bad.statusCode, 400)
  t.match(bad.body, /There is a problem/)
  t.match(bad.body, /Choose a measure from the list/)
  const badFragment = await admin.get('/scores/trends?measure=%3Cscript%3E', { 'HX-Request': 'true' })
  t.equal(badFragment.statusCode, 400)
  t.match(badFragment.body, /Choose a measure from the list/)
  t.notMatch(badFragment.body, /<script>/)
})
