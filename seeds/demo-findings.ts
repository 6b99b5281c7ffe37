// Demo findings and actions on the published demo round, in every state, for the police and the
// CPS users to see (and some they must not: drafts, proposals, another agency's). Built through
// the same writes the screens use, so each change is in the audit log as it would be in real use.
import { eq } from 'drizzle-orm'
import { agencies, rounds } from '../schema/index.ts'
import type { Db } from '../schema/database.ts'
import { todayIso } from '../audits/calendar.ts'
import { getFramework } from '../audits/frameworks/index.ts'
import type { FindingStatus, Severity } from '../audits/findings.ts'
import { findRound } from '../server/services/scores/rounds-queries.ts'
import {
  addAction,
  closeAction,
  createFinding,
  moveFinding,
  recordProgress,
} from '../server/services/findings/writes.ts'
import { evidenceFor, shortfallCases } from '../server/services/findings/evidence.ts'
import { scopeOfUser as scopeOf } from '../server/services/admin/users-queries.ts'

function shift(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

type Plan = 'open-soon' | 'overdue' | 'progress' | 'done' | 'closed' | 'later'

interface DemoFinding {
  agency: 'police' | 'cps'
  item: number
  title: string
  severity: Severity
  recommendation: string
  /** Where it ends up; proposals come from the advocate. */
  end: FindingStatus
  response?: string
  actions: { description: string; plan: Plan }[]
}

const demo: DemoFinding[] = [
  {
    agency: 'police',
    item: 0,
    title: 'Needs assessments not recorded',
    severity: 'high',
    recommendation: 'Record the needs assessment on the crime report at first contact.',
    end: 'closed',
    response: 'Accepted. A mandatory field is being added to the crime report.',
    actions: [{ description: 'Add a mandatory needs assessment field to the crime report', plan: 'closed' }],
  },
  {
    agency: 'police',
    item: 1,
    title: 'Late referrals to victim support',
    severity: 'medium',
    recommendation: 'Refer within two working days and record the date of referral.',
    end: 'accepted',
    response: 'Accepted. Referral timeliness will be reported monthly.',
    actions: [
      { description: 'Monthly report of referral timeliness to the partnership board', plan: 'overdue' },
      { description: 'Briefing for response officers on the two-day limit', plan: 'done' },
      { description: 'Audit twenty referrals a month in the hub', plan: 'progress' },
    ],
  },
  {
    agency: 'police',
    item: 2,
    title: 'Updates on the investigation not given',
    severity: 'high',
    recommendation: 'Agree an update schedule with every victim and keep to it.',
    end: 'responded',
    response: 'We will add update reminders to the case system.',
    actions: [{ description: 'Case system reminders for agreed victim updates', plan: 'open-soon' }],
  },
  {
    agency: 'police',
    item: 3,
    title: 'Victim Personal Statement not offered',
    severity: 'medium',
    recommendation: 'Offer the VPS when the statement is taken and record the answer.',
    end: 'issued',
    actions: [],
  },
  {
    agency: 'police',
    item: 4,
    title: 'Outcome letters missing',
    severity: 'low',
    recommendation: 'Send the outcome letter within five working days of the decision.',
    end: 'draft',
    actions: [],
  },
  {
    agency: 'police',
    item: 0,
    title: 'Interpreter use not evidenced',
    severity: 'low',
    recommendation: 'Note on file when an interpreter was offered.',
    end: 'proposed',
    actions: [],
  },
  {
    agency: 'police',
    item: 1,
    title: 'Duplicate of the referral finding',
    severity: 'low',
    recommendation: 'See the finding on late referrals.',
    end: 'declined',
    actions: [],
  },
  // The demo round has CPS answers on few items, all met: these findings are about the record
  // and the small sample, as a moderator would raise them, not about failures the figures do not show.
  {
    agency: 'cps',
    item: 0,
    title: 'Too few cases to judge the CPS',
    severity: 'medium',
    recommendation:
      'Flag CPS-owned cases in the population file so the next sample holds enough of them to give a useful interval.',
    end: 'responded',
    response: 'Agreed. Our case flag will be added to the monthly extract.',
    actions: [{ description: 'Add the CPS case flag to the monthly population extract', plan: 'overdue' }],
  },
  {
    agency: 'cps',
    item: 0,
    title: 'Whether the victim chose to read their statement is not recorded',
    severity: 'low',
    recommendation: 'Record on the file whether the victim read the statement, had it read, or chose neither.',
    end: 'issued',
    actions: [],
  },
  {
    agency: 'cps',
    item: 0,
    title: 'Statement letters sent from personal mailboxes',
    severity: 'low',
    recommendation: 'Send letters about the Victim Personal Statement from the unit mailbox, so they are kept on file.',
    end: 'closed',
    response: 'Done: the unit mailbox is now used.',
    actions: [{ description: 'Move statement letters to the unit mailbox', plan: 'closed' }],
  },
  {
    agency: 'cps',
    item: 0,
    title: 'Special measures not noted beside the statement',
    severity: 'low',
    recommendation: 'Note any special measures agreed when the statement is served.',
    end: 'accepted',
    response: 'Accepted: the case review template now asks for it.',
    actions: [
      { description: 'Add special measures to the case review template', plan: 'done' },
      { description: 'Brief the trial unit on the new template', plan: 'open-soon' },
    ],
  },
  {
    agency: 'cps',
    item: 0,
    title: 'Statement checklist for paralegals',
    severity: 'low',
    recommendation: 'Give paralegals a checklist for the statement before each trial.',
    end: 'draft',
    actions: [],
  },
]

const path: FindingStatus[] = ['draft', 'issued', 'responded', 'accepted', 'closed']

export function loadDemoFindings(db: Db): void {
  const round = db.select({ id: rounds.id }).from(rounds).where(eq(rounds.status, 'published')).get()
  if (!round) return
  const moderator = scopeOf(db, 'moderator@qaf.example')
  const advocate = scopeOf(db, 'advocate@qaf.example')
  const leads = { police: scopeOf(db, 'police@qaf.example'), cps: scopeOf(db, 'cps@qaf.example') }
  const scoreRound = findRound(db, moderator, round.id)
  if (!scoreRound) return
  const today = todayIso()
  const items = getFramework(scoreRound.edition).items
  for (const d of demo) {
    const lead = leads[d.agency]
    const agency = db
      .select({ id: agencies.id })
      .from(agencies)
      .where(eq(agencies.id, lead.agencyId ?? -1))
      .get()
    if (!agency) continue
    // The agency's weakest items with answers: what an auditor would raise findings on.
    const weakest = evidenceFor(
      db,
      scoreRound,
      agency.id,
      items.filter((i) => i.agency === d.agency).map((i) => i.id),
    )
      .filter((e) => e.n > 0)
      .sort((a, b) => (a.rate ?? 1) - (b.rate ?? 1) || a.itemId.localeCompare(b.itemId))
    const item = weakest[d.item % Math.max(1, weakest.length)]
    if (!item) continue
    const proposing = d.end === 'proposed' || d.end === 'declined'
    const raiser = proposing ? advocate : moderator
    const id = createFinding(db, raiser, {
      round: scoreRound,
      agencyId: agency.id,
      title: d.title,
      itemIds: [item.itemId],
      caseRefs: shortfallCases(db, round.id, agency.id, item.itemId).slice(0, 5),
      severity: d.severity,
      recommendation: d.recommendation,
      status: proposing ? 'proposed' : 'draft',
    })
    if (d.end === 'declined')
      moveFinding(db, moderator, id, 'declined', 'Already covered by another finding on this item.')
    if (proposing) continue
    const finding = { id, agencyId: agency.id }
    const target = path.indexOf(d.end)
    for (const to of path.slice(1, Math.min(target, 2) + 1))
      moveFinding(
        db,
        to === 'responded' ? lead : moderator,
        id,
        to,
        to === 'responded' ? (d.response ?? 'Accepted.') : null,
      )
    for (const a of d.actions) {
      const due =
        a.plan === 'overdue'
          ? shift(today, -20)
          : a.plan === 'open-soon'
            ? shift(today, 7)
            : a.plan === 'later'
              ? shift(today, 60)
              : shift(today, 30)
      const actionId = addAction(db, lead, finding, { description: a.description, dueDate: due })
      if (a.plan === 'overdue')
        recordProgress(db, lead, actionId, {
          on: shift(today, -30),
          note: 'Work started; first draft circulated.',
          status: 'in_progress',
        })
      if (a.plan === 'progress')
        recordProgress(db, lead, actionId, {
          on: shift(today, -3),
          note: 'Ten referrals audited so far.',
          status: 'in_progress',
        })
      if (a.plan === 'done' || a.plan === 'closed') {
        recordProgress(db, lead, actionId, { on: shift(today, -14), note: 'Work under way.', status: 'in_progress' })
        recordProgress(db, lead, actionId, { on: shift(today, -2), note: 'Completed and in use.', status: 'done' })
      }
      if (a.plan === 'closed') closeAction(db, moderator, actionId)
    }
    for (const to of path.slice(3, target + 1)) moveFinding(db, moderator, id, to, null)
  }
}
