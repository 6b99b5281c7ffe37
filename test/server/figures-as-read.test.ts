// Figures on the demo data as a person reads them, for the wrong figures found by walking every
// role in a browser (issue 14): the rounds list, the method text, intervals and trend verdicts.
import t from 'tap'
import ExcelJS from 'exceljs'
import { buildApp } from '../../server/app.ts'
import { loadConfig } from '../../server/config.ts'
import { openDatabase } from '../../schema/database.ts'
import { loadDemoData } from '../../seeds/demo.ts'
import { signedIn } from '../fixtures/app.ts'
import { textOf } from '../fixtures/html.ts'

/** The id of the demo round whose link on /rounds reads `name`, found by following the page. */
function roundLink(html: string, name: string): string {
  const m = new RegExp(`href="(/rounds/\\d+)">${name.replace('/', '\\/')}</a>`).exec(html)
  if (!m?.[1]) throw new Error(`no link to ${name}`)
  return m[1]
}

// One demo database for the file: the demo rounds take a few seconds to build through the real code.
const db = openDatabase(':memory:')
await loadDemoData(db, { rounds: true })
const app = await buildApp({
  config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DB_FILE: ':memory:' }),
  db,
  jwtSecret: 'test-secret-that-is-long-enough-0123456789',
})
t.teardown(() => app.close())

t.test('the rounds list shows each round its own population and sample', async (t) => {
  const admin = await signedIn(app, 'admin@qaf.example')
  const list = await admin.get('/rounds')
  const rows = [...list.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1] ?? ''))
  const winter = rows.find((r) => r.startsWith('Winter 2024/25 audit'))
  const summer = rows.find((r) => r.startsWith('Summer 2025 audit'))
  t.match(winter, /1,800 48$/, 'Winter: population 1,800, sample 48')
  t.match(summer, /2,000 40$/, 'Summer: population 2,000, sample 40')
  // The round page, reached by the list's own link, agrees with the list.
  const page = await admin.get(roundLink(list.body, 'Winter 2024/25 audit'))
  t.match(textOf(page.body), /1,800/)
})

async function winterScores(admin: Awaited<ReturnType<typeof signedIn>>): Promise<string> {
  const scores = await admin.get('/scores')
  const m = /href="(\/scores\/rounds\/\d+)"[^>]*>Winter 2024\/25 audit/.exec(scores.body)
  if (!m?.[1]) throw new Error('no link to the Winter round scores')
  return m[1]
}

t.test('the method text states the margin as planned and names the strata', async (t) => {
  const admin = await signedIn(app, 'admin@qaf.example')
  const base = await winterScores(admin)
  const report = textOf((await admin.get(`${base}/report`)).body)
  t.match(report, /planned for a margin of error of ±10 percentage points at 95% confidence/)
  t.notMatch(report, /margin of error of 100 percentage points/)
  t.match(report, /South Lakeland \([\d,]+ cases\)/, 'strata by name')
  t.notMatch(report, /south_lakeland/, 'no raw district code')

  const res = await admin.get(`${base}/export.xlsx`)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
  const method: string[] = []
  wb.getWorksheet('Method')?.eachRow((row) => method.push(String(row.getCell(1).value)))
  const text = method.join('\n')
  t.match(text, /margin of error of ±10 percentage points/)
  t.match(text, /South Lakeland \(/)
  t.notMatch(text, /south_lakeland|100 percentage points/)
})

t.test('a weighted rate at 100% has an honest interval, and every column on few cases is tagged', async (t) => {
  const admin = await signedIn(app, 'admin@qaf.example')
  const base = await winterScores(admin)
  const page = await admin.get(base)
  const rows = [...page.body.matchAll(/<tr[^>]*data-qa="overall-row"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => m[1] ?? '')
  const hmctsRow = rows.find((r) => textOf(r).startsWith('HM Courts & Tribunals Service'))
  const cells = [...(hmctsRow ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => textOf(m[1] ?? ''))
  // Strict, lenient, weighted, timeliness: HMCTS rests on 7 obligations, so every column says so.
  t.match(cells[0], /^57\.1% \(n = 7\) 95% interval 25\.0% to 84\.2% Small sample Red$/)
  t.match(cells[1], /^85\.7% \(n = 7\) 95% interval 48\.7% to 97\.4% Small sample$/, 'lenient column tagged')
  t.match(cells[2], /^57\.8% 95% interval 24\.7% to 85\.1% Small sample Red$/, 'weighted column tagged')
  t.match(cells[3], /^66\.7% \(n = 6\) on time; late ones: [\s\S]*Small sample$/, 'timeliness column tagged')
  // No interval on any round's dashboard collapses to a point (the weighted 6 of 6 case read
  // "100.0% to 100.0%"; the hand-worked cases are in test/audits/scoring.test.ts).
  const index = await admin.get('/scores')
  for (const m of index.body.matchAll(/href="(\/scores\/rounds\/\d+)"/g)) {
    const body = (await admin.get(m[1] ?? '')).body
    t.notMatch(textOf(body), /interval (100\.0% to 100\.0%|0\.0% to 0\.0%)/, `${m[1]}: no point interval`)
  }
  const method = textOf(page.body)
  t.match(
    method,
    /How these figures are made [\s\S]*Wilson score interval on the effective sample size/,
    'the method names the interval',
  )
  const report = textOf((await admin.get(`${base}/report`)).body)
  t.match(report, /Its 95% interval is a Wilson score interval on the effective sample size/)
})

t.test('a trend from a handful of cases reads "too few cases to say", never better or worse', async (t) => {
  const admin = await signedIn(app, 'admin@qaf.example')
  const page = await admin.get('/scores/trends')
  const form = /<form method="get" action="([^"]+)"/.exec(page.body)?.[1]
  t.equal(form, '/scores/trends')
  t.match(
    textOf(page.body),
    /fewer than 10 applicable obligations the change reads "too few cases to say"/,
    'the minimum is stated',
  )
  // R8.2 partnership-wide: 8 obligations in Winter 2024/25 (one met resolved to partially met in
  // moderation), +20.8 points: too few to judge whatever the interval says.
  const res = await admin.get(`${form}?agency=&measure=${encodeURIComponent('item:R8.2')}`)
  const winter = [...res.body.matchAll(/<tr[^>]*data-qa="trend-row"[^>]*>([\s\S]*?)<\/tr>/g)]
    .map((m) => textOf(m[1] ?? ''))
    .find((r) => r.startsWith('Winter 2024/25 audit'))
  t.match(
    winter,
    /87\.5% \(n = 8\)[\s\S]*Too few cases to say \+20\.8 points since Winter 2020\/21 audit \(95% interval −21\.1 to \+58\.9\)/,
  )
  t.notMatch(winter, /Better|Worse/)
  // A change on plenty of cases is still judged: the partnership overall, Summer 2025's 205
  // obligations against Winter 2024/25 as moderated.
  const overall = await admin.get(`${form}?agency=&measure=overall`)
  t.match(textOf(overall.body), /85\.4% \(n = 205\)[\s\S]*Better \+9\.4 points since Winter 2024\/25 audit/)
})

t.test("every role's home page links only to pages that role can open, and promises nothing else", async (t) => {
  const roles = ['admin', 'auditor', 'moderator', 'police', 'advocate', 'viewer']
  for (const who of roles) {
    const s = await signedIn(app, `${who}@qaf.example`)
    const home = await s.get('/')
    const main = /<main[^>]*>([\s\S]*?)<\/main>/.exec(home.body)?.[1] ?? ''
    const links = [...main.matchAll(/href="(\/[^"#]*)"/g)].map((m) => m[1] ?? '')
    t.ok(links.length > 0, `${who}: the home page links somewhere`)
    for (const href of links) {
      const res = await s.get(href)
      t.equal(res.statusCode, 200, `${who}: ${href} opens`)
    }
    const text = textOf(main)
    // Findings and actions exist now (their own feature's blocks): any link to them must open, above.
    t.notMatch(text, /under way/, `${who}: no rounds it cannot open`)
    if (who === 'moderator') t.notMatch(text, /0 cases to review/, 'moderator: not sent to an empty worklist')
  }
})

t.test('districts read as names, not codes, in the worklist and the case summary', async (t) => {
  const auditor = await signedIn(app, 'auditor@qaf.example')
  const list = await auditor.get('/worklist')
  const codes = /\b(allerdale|barrow|carlisle|copeland|eden|south_lakeland)\b/
  const text = textOf(list.body)
  t.notMatch(text, codes, 'no district code in the worklist')
  t.match(text, /Allerdale|Barrow-in-Furness|Carlisle|Copeland|Eden|South Lakeland/)
  const first = /href="(\/cases\/\d+)"/.exec(list.body)?.[1]
  if (!first) throw new Error('no case on the worklist')
  const page = await auditor.get(first)
  const district = /District<\/dt>\s*<dd[^>]*>([^<]*)</.exec(page.body)?.[1]?.trim()
  t.match(
    district,
    /^(Allerdale|Barrow-in-Furness|Carlisle|Copeland|Eden|South Lakeland)$/,
    `the case summary names the district (${district})`,
  )
})

t.test('agencies with no applicable cases take one line, with their rows behind a no-JS control', async (t) => {
  const admin = await signedIn(app, 'admin@qaf.example')
  const base = await winterScores(admin)
  const page = await admin.get(base)
  const heatmap = /<table[^>]*data-qa="heatmap"[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? ''
  t.notMatch(textOf(heatmap), /Bridgeway|Remedi/, 'no padding rows in the main table')
  t.match(
    textOf(page.body),
    /No applicable cases in this round for Bridgeway sexual assault referral centre, Cumbria Youth Offending Service, Remedi restorative justice, Victim Support \(Cumbria integrated victim service\)\./,
  )
  const details =
    /<details class="govuk-details">\s*<summary[^>]*><span[^>]*>Show their 4 rows<\/span><\/summary>([\s\S]*?)<\/details>/.exec(
      page.body,
    )?.[1] ?? ''
  t.match(
    textOf(details),
    /^Agencies with no applicable cases in this round [\s\S]*Bridgeway sexual assault referral centre No applicable cases/,
    'all rows one click away, in <details>',
  )
  const overall = /<table[^>]*data-qa="overall-table"[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? ''
  t.notMatch(textOf(overall), /Bridgeway|Remedi/)

  const moj = await admin.get(`${base}/moj`)
  const text = textOf(moj.body)
  t.match(
    text,
    /these figures cover the round's whole period, cases reported from 1 October 2024 to 31 March 2025, not split by quarter/,
    'the period named truthfully',
  )
  t.notMatch(text, /five quarterly measures/)
  const police =
    /<table[^>]*data-qa="moj-table"[^>]*>\s*<caption[^>]*>Cumbria Constabulary<\/caption>([\s\S]*?)<\/table>/.exec(
      moj.body,
    )?.[1] ?? ''
  t.ok(police, 'one table per agency, named in its caption')
  t.notMatch(textOf(police), /Cumbria Constabulary/, 'the agency is not repeated on every row')
  t.match(text, /No applicable cases for any measure in this round for [^.]*Bridgeway sexual assault referral centre/)
})
