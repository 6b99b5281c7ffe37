// Reported figures held against the audit: entering and uploading (all or nothing, every bad row
// named), the verdicts on the demo figures on both sides of the interval and for too few audited
// cases, who sees which rows, the CSV, and a flag becoming a finding in one step.
import t from 'tap'
import { parse } from 'csv-parse/sync'
import { sql } from 'drizzle-orm'
import type { Db } from '../../schema/database.ts'
import { signedIn, flashOf } from '../fixtures/app.ts'
import { buildPortalApp, uploadFigures } from '../fixtures/reconciliation.ts'

function figures(db: Db) {
  return db.all<{
    id: number
    agency: string
    measure: string
    period_from: string
    percent: number
    cases: number
    finding_id: number | null
  }>(
    sql`SELECT rf.id, ag.name AS agency, rf.measure, rf.period_from, rf.percent, rf.cases, rf.finding_id
        FROM reported_figures rf JOIN agencies ag ON ag.id = rf.agency_id ORDER BY rf.id`,
  )
}

const auditCount = (db: Db, action: string) =>
  db.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log WHERE action = ${action}`)?.n ?? 0

/** The rows of the reconciliation table: measure and period, reported, audited, verdict. */
function rows(html: string): { verdict: string; text: string }[] {
  return [
    ...html.matchAll(
      /<tr class="govuk-table__row" id="raise-\d+" data-qa="reconciliation-row" data-verdict="([a-z_]+)">([\s\S]*?)<\/tr>/g,
    ),
  ].map((m) => ({
    verdict: m[1] ?? '',
    text: (m[2] ?? '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  }))
}

t.test('the demo figures against the audit, as an admin sees them', async (t) => {
  const { app } = await buildPortalApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const res = await admin.get('/reconciliation')
  t.equal(res.statusCode, 200)
  const r = rows(res.body)
  t.equal(r.length, 9, 'nine reported figures, three agencies')
  const flagged = r.filter((x) => x.verdict === 'above' || x.verdict === 'below')
  t.equal(flagged.length, 1, 'one outside the interval')
  t.match(
    flagged[0]?.text,
    /Cumbria Constabulary Offered a Victim Personal Statement October 2024 to March 2025 92\.0% of 1,204 cases 78\.3% \(n = 46\) 95% interval 64\.4% to 87\.7%/,
  )
  t.match(flagged[0]?.text, /The audit does not support the reported figure/)
  t.equal(r.filter((x) => x.verdict === 'too_few').length, 4, 'the CPS and Witness Care figures rest on too few cases')
  t.ok(r.filter((x) => x.verdict === 'too_few').every((x) => /Not enough audited cases/.test(x.text)))
  t.equal(r.filter((x) => x.verdict === 'inside').length, 4)
})

t.test('an agency lead sees only their own figures, in the page, its fragment and the CSV', async (t) => {
  const { app } = await buildPortalApp(t)
  const police = await signedIn(app, 'police@qaf.example')
  const page = await police.get('/reconciliation')
  t.equal(rows(page.body).length, 5, 'the police figures only')
  t.notMatch(page.body, /Crown Prosecution Service North West|Cumbria Witness Care Unit/)
  const other = await police.get('/reconciliation?agency=3', { 'HX-Request': 'true' })
  t.equal(rows(other.body).length, 5, 'asking for another agency still shows their own')
  t.notMatch(other.body, /<html/, 'the fragment for htmx')
  const csv = await police.get('/reconciliation/export.csv')
  t.equal(csv.statusCode, 200)
  const records = parse(csv.body, { bom: true, columns: true }) as Record<string, string>[]
  t.equal(records.length, 5)
  t.ok(records.every((r) => r.Agency === 'Cumbria Constabulary'))
  const flagged = records.find((r) => /does not support/.test(r.Verdict ?? ''))
  t.match(flagged, { Measure: 'Offered a Victim Personal Statement', 'Reported %': '92', 'Audited strict %': '78.3' })
  const cps = await signedIn(app, 'cps@qaf.example')
  const cpsRows = rows((await cps.get('/reconciliation')).body)
  t.equal(cpsRows.length, 2)
  t.ok(
    cpsRows.every((r) => r.verdict === 'too_few'),
    'n below the minimum: not enough audited cases, never a flag',
  )
  for (const who of ['advocate@qaf.example', 'auditor@qaf.example']) {
    const s = await signedIn(app, who)
    t.equal((await s.get('/reconciliation')).statusCode, 404, `${who}: not found`)
  }
})

t.test('flags on both sides of the interval; the same figure again replaces it', async (t) => {
  const { app, db } = await buildPortalApp(t)
  const police = await signedIn(app, 'police@qaf.example')
  const enter = (measure: string, percent: string) =>
    police.post('/reported-figures/new', {
      measure,
      'from-month': '10',
      'from-year': '2024',
      'to-month': '3',
      'to-year': '2025',
      percent,
      cases: '1,204',
    })
  // Written acknowledgement, October 2024 to March 2025: 27 of 46 audited, 44.3% to 71.7%.
  const res = await enter('moj:written_acknowledgement', '40')
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/reconciliation')
  t.match(flashOf(res), /Figure saved: Written acknowledgement/)
  t.equal(auditCount(db, 'reported_figure_replaced'), 1, 'the demo figure is replaced, and logged')
  let r = rows((await police.get('/reconciliation')).body).find((x) =>
    /Written acknowledgement.*October 2024/.test(x.text),
  )
  t.equal(r?.verdict, 'below', '40% lies below the interval')
  await enter('moj:written_acknowledgement', '72')
  r = rows((await police.get('/reconciliation')).body).find((x) => /Written acknowledgement.*October 2024/.test(x.text))
  t.equal(r?.verdict, 'above', '72% lies above it')
  await enter('moj:written_acknowledgement', '71.7')
  r = rows((await police.get('/reconciliation')).body).find((x) => /Written acknowledgement.*October 2024/.test(x.text))
  t.equal(r?.verdict, 'inside', '71.7% is inside (the upper bound is 71.74%)')
  t.equal(figures(db).filter((f) => f.measure === 'moj:written_acknowledgement').length, 2, 'still one row per period')
  const only = await police.get('/reconciliation?flagged=1')
  t.ok(rows(only.body).every((x) => x.verdict === 'above' || x.verdict === 'below'))
})

t.test('a figure entered wrongly is shown again with every error, and nothing is saved', async (t) => {
  const { app, db } = await buildPortalApp(t)
  const police = await signedIn(app, 'police@qaf.example')
  const before = figures(db)
  const logged = auditCount(db, 'reported_figure_entered')
  const res = await police.post('/reported-figures/new', {
    measure: 'moj:nonsense',
    'from-month': '13',
    'from-year': '2024',
    'to-month': '',
    'to-year': '',
    percent: '120',
    cases: 'many',
  })
  t.equal(res.statusCode, 400)
  t.match(res.body, /<title>Error: Enter a reported figure/)
  t.match(res.body, /govuk-error-summary/)
  for (const href of ['#measure', '#from', '#to', '#percent', '#cases']) t.match(res.body, `href="${href}"`)
  t.match(res.body, /value="120"/, 'what was typed is shown again')
  t.same(figures(db), before)
  t.equal(auditCount(db, 'reported_figure_entered'), logged)
  const admin = await signedIn(app, 'admin@qaf.example')
  t.equal((await admin.get('/reported-figures/new')).statusCode, 404, 'only an agency reports its figures')
})

t.test('a CSV upload is all or nothing, with every bad row named by line', async (t) => {
  const { app, db } = await buildPortalApp(t)
  const police = await signedIn(app, 'police@qaf.example')
  const before = figures(db)
  const bad = [
    'measure,period_from,period_to,percent,cases',
    'moj:vps_offered,2024-04,2024-09,91.5,1100',
    'moj:nonsense,2024-04,2024-09,90,100',
    'moj:support_referral,2024-09,2024-04,90,100',
    'moj:timely_updates,2024-04,2024-09,190,0',
    'moj:vps_offered,2024-04,2024-09,91.5,1100',
    'item:R6.1,2024-04',
  ].join('\n')
  const res = await uploadFigures(app, police, bad)
  t.equal(res.statusCode, 400)
  t.match(res.body, /The file has 6 problems: nothing was saved/)
  const problems = [
    ...res.body.matchAll(/data-qa="upload-problem">\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*>([^<]*)<\/td>/g),
  ].map((m) => `${m[1]}: ${m[2]}`)
  t.match(problems, [
    /^3: measure: .*nonsense.* is not a known measure/,
    /^4: period_to: The last month must be the same as or after the first month/,
    /^5: percent: /,
    /^5: cases: /,
    /^6: Repeats the measure and period of line 2/,
    /^7: Expected 5 values, found 2/,
  ])
  t.same(figures(db), before, 'nothing saved, not even the good row')

  const wrongHeader = await uploadFigures(
    app,
    police,
    'measure,from,to,percent,cases\nmoj:vps_offered,2024-04,2024-09,90,100\n',
  )
  t.equal(wrongHeader.statusCode, 400)
  t.match(wrongHeader.body, /The first line must name the columns measure, period_from, period_to, percent, cases/)
  const workbook = await uploadFigures(app, police, Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), {
    fileName: 'x.xlsx',
  })
  t.equal(workbook.statusCode, 400)
  t.match(workbook.body, /spreadsheet workbook, not a CSV file/)
  const empty = await uploadFigures(app, police, '')
  t.equal(empty.statusCode, 400)
  t.match(empty.body, /Select a CSV file of reported figures/)
  const headerOnly = await uploadFigures(app, police, 'measure,period_from,period_to,percent,cases\n')
  t.match(headerOnly.body, /The file has no rows of figures/)
  const huge = await uploadFigures(
    app,
    police,
    `${'measure,period_from,period_to,percent,cases\n'}${'x'.repeat(600 * 1024)}`,
  )
  t.equal(huge.statusCode, 413)
  t.match(huge.body, /The file must be smaller than 512 KB/)
  const cut = await app.inject({
    method: 'POST',
    url: '/reported-figures/upload',
    payload: `--XX\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${await police.csrfToken('/reported-figures/upload')}\r\n--XX\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nmeasure`,
    headers: { 'content-type': 'multipart/form-data; boundary=XX', cookie: police.header() },
  })
  t.equal(cut.statusCode, 400, 'a body cut off is the sender’s problem')
  t.match(cut.body, /The file did not arrive in full/)
  const noToken = await uploadFigures(app, police, bad, { csrf: null })
  t.equal(noToken.statusCode, 403, 'the form token is checked')
  t.same(figures(db), before)

  const good = [
    'measure,period_from,period_to,percent,cases',
    'moj:vps_offered,2024-04,2024-09,91.5,"1,100"',
    'item:R6.1,2024-04,2024-09,88%,1100',
  ].join('\r\n')
  const ok = await uploadFigures(app, police, good)
  t.equal(ok.statusCode, 303)
  t.match(flashOf(ok), /2 figures saved from the file/)
  const added = figures(db).slice(before.length)
  t.match(added, [
    {
      agency: 'Cumbria Constabulary',
      measure: 'moj:vps_offered',
      period_from: '2024-04-01',
      percent: 91.5,
      cases: 1100,
    },
    { agency: 'Cumbria Constabulary', measure: 'item:R6.1', percent: 88 },
  ])
  t.equal(auditCount(db, 'reported_figure_entered'), 9 + 2, 'each figure logged')
  const template = await police.get('/reported-figures/template.csv')
  t.match(template.body, /^measure,period_from,period_to,percent,cases\r\n/)
})

t.test('a flag becomes a draft finding in one step, once', async (t) => {
  const { app, db } = await buildPortalApp(t)
  const moderator = await signedIn(app, 'moderator@qaf.example')
  const flagged = figures(db).find((f) => f.measure === 'moj:vps_offered' && f.period_from === '2024-10-01')
  const inside = figures(db).find((f) => f.measure === 'moj:support_referral')
  if (!flagged || !inside) throw new Error('demo figures missing')
  const page = await moderator.get('/reconciliation')
  t.match(page.body, `action="/reconciliation/${flagged.id}/finding"`, 'the flagged row offers the step')
  t.notMatch(page.body, `action="/reconciliation/${inside.id}/finding"`, 'a supported figure does not')
  const findingsBefore = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM findings`)?.n ?? 0
  const res = await moderator.post(`/reconciliation/${flagged.id}/finding`, {})
  t.equal(res.statusCode, 303)
  const id = Number(/^\/findings\/(\d+)$/.exec(String(res.headers.location))?.[1])
  t.ok(id > 0, 'sent to the new finding')
  const finding = db.get<{ status: string; agency: string; title: string; recommendation: string; item_ids: string }>(
    sql`SELECT f.status, ag.name AS agency, f.title, f.recommendation, f.item_ids FROM findings f JOIN agencies ag ON ag.id = f.agency_id WHERE f.id = ${id}`,
  )
  t.match(finding, {
    status: 'draft',
    agency: 'Cumbria Constabulary',
    title:
      /Reported figure not supported by the audit: Offered a Victim Personal Statement, October 2024 to March 2025/,
    recommendation: /reported 92% of 1,204 cases .* found 78\.3% \(n = 46; 95% interval 64\.4% to 87\.7%\)/,
  })
  t.ok((JSON.parse(finding?.item_ids ?? '[]') as string[]).length > 0, 'the items of the measure')
  t.equal(figures(db).find((f) => f.id === flagged.id)?.finding_id, id, 'the figure links to its finding')
  t.equal(auditCount(db, 'reported_figure_finding_raised'), 1)
  t.equal(auditCount(db, 'finding_raised') > 0, true)
  const again = await moderator.post(`/reconciliation/${flagged.id}/finding`, {})
  t.equal(again.statusCode, 409)
  t.match(again.body, /govuk-error-summary[\s\S]*already been raised/)
  t.match(again.body, `href="#raise-${flagged.id}"`, 'the summary links to the row')
  const notFlagged = await moderator.post(`/reconciliation/${inside.id}/finding`, {})
  t.equal(notFlagged.statusCode, 409)
  t.match(notFlagged.body, /Only a figure the audit does not support/)
  t.equal(db.get<{ n: number }>(sql`SELECT count(*) AS n FROM findings`)?.n, findingsBefore + 1, 'one finding only')
  const viewer = await signedIn(app, 'viewer@qaf.example')
  t.equal((await viewer.post(`/reconciliation/${flagged.id}/finding`, {})).statusCode, 404)
  const police = await signedIn(app, 'police@qaf.example')
  t.equal((await police.post(`/reconciliation/${flagged.id}/finding`, {})).statusCode, 404)
  t.equal((await moderator.post('/reconciliation/999999/finding', {})).statusCode, 404)
})
