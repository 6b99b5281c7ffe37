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
      /<tr class="govuk-table__row" data-qa="reconciliation-row" data-verdict="([a-z_]+)">([\s\S]*?)<\/tr>/g,
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
