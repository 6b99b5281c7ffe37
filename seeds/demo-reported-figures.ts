// Demo figures the agencies reported about themselves, for the reconciliation: the police, the
// CPS and the Witness Care Unit, over the periods of the two published rounds. Against the demo
// audit, the police's "VPS offered: 92% of 1,204 cases, October 2024 to March 2025" lies above the
// audit's 95% interval (flagged); the police's other figures lie within it; the CPS's and the
// Witness Care Unit's rest on too few audited obligations to say. Saved through the same write as
// an upload, so each is in the audit log. The Witness Care Unit has no demo account: the
// administrator enters its figures, as the partnership would for an agency without a login.
import { eq } from 'drizzle-orm'
import { agencies } from '../schema/index.ts'
import type { Db } from '../schema/database.ts'
import { readReported, type ReportedInput } from '../audits/reconciliation.ts'
import { saveReportedFigures } from '../server/services/reconciliation/writes.ts'
import { scopeOfUser as scopeOf } from '../server/services/admin/users-queries.ts'

const winter2020 = { from: '2020-10', to: '2021-03' }
const winter2024 = { from: '2024-10', to: '2025-03' }

interface DemoFigure extends Omit<ReportedInput, 'from' | 'to'> {
  agency: string
  /** Who enters it. */
  by: string
  period: { from: string; to: string }
}

const plan: DemoFigure[] = [
  {
    agency: 'Cumbria Constabulary',
    by: 'police@qaf.example',
    period: winter2020,
    measure: 'moj:vps_offered',
    percent: '90',
    cases: '1180',
  },
  {
    agency: 'Cumbria Constabulary',
    by: 'police@qaf.example',
    period: winter2020,
    measure: 'moj:written_acknowledgement',
    percent: '85',
    cases: '1180',
  },
  {
    agency: 'Cumbria Constabulary',
    by: 'police@qaf.example',
    period: winter2024,
    measure: 'moj:vps_offered',
    percent: '92',
    cases: '1204',
  },
  {
    agency: 'Cumbria Constabulary',
    by: 'police@qaf.example',
    period: winter2024,
    measure: 'moj:support_referral',
    percent: '85',
    cases: '1204',
  },
  {
    agency: 'Cumbria Constabulary',
    by: 'police@qaf.example',
    period: winter2024,
    measure: 'moj:written_acknowledgement',
    percent: '62',
    cases: '1204',
  },
  {
    agency: 'Crown Prosecution Service North West',
    by: 'cps@qaf.example',
    period: winter2020,
    measure: 'item:R7.2',
    percent: '95',
    cases: '310',
  },
  {
    agency: 'Crown Prosecution Service North West',
    by: 'cps@qaf.example',
    period: winter2024,
    measure: 'item:R7.2',
    percent: '96',
    cases: '420',
  },
  {
    agency: 'Cumbria Witness Care Unit',
    by: 'admin@qaf.example',
    period: winter2020,
    measure: 'item:R8.2',
    percent: '97',
    cases: '450',
  },
  {
    agency: 'Cumbria Witness Care Unit',
    by: 'admin@qaf.example',
    period: winter2024,
    measure: 'item:R8.2',
    percent: '98',
    cases: '512',
  },
]

export function loadDemoReportedFigures(db: Db, today: string): void {
  for (const p of plan) {
    const agency = db.select({ id: agencies.id }).from(agencies).where(eq(agencies.name, p.agency)).get()
    if (!agency) throw new Error(`demo agency ${p.agency} missing`)
    const read = readReported({ measure: p.measure, ...p.period, percent: p.percent, cases: p.cases }, today)
    if (!read.ok)
      throw new Error(`demo reported figure ${p.measure}: ${read.problems.map((x) => x.message).join('; ')}`)
    saveReportedFigures(db, scopeOf(db, p.by), agency.id, [read.figure])
  }
}
