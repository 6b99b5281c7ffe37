// Demo moderation: second markers allocated, blind second markings entered through the review
// writes, and (for a finished round) every disagreement resolved. Seeded, so every demo database
// has the same agreement report: mostly agreement, some disagreement, and one item where nearly
// every answer is "met", so kappa is low although agreement is high.
import type { Db } from '../schema/database.ts'
import type { Outcome } from '../schema/index.ts'
import { createRng } from '../audits/seeded-random.ts'
import { daysLateFor } from '../audits/answer-rules.ts'
import { loadCaseContext } from '../server/services/review/case-context.ts'
import { loadAnswers } from '../server/services/review/queries.ts'
import { saveAllAnswers, type AnswerChange } from '../server/services/review/writes.ts'
import { pairedAnswers, selectedCases } from '../server/services/moderation/queries.ts'
import {
  allocateSecondMarker,
  completeSecondMarking,
  resolveFacts,
  resolveObligation,
} from '../server/services/moderation/writes.ts'
import { scopeOfUser as scopeOf } from '../server/services/admin/users-queries.ts'

const others: Record<Outcome, Outcome> = {
  met: 'partially_met',
  partially_met: 'not_met',
  not_met: 'met',
  not_evidenced: 'met',
  not_applicable: 'not_evidenced',
}

/**
 * Every selected case gets a finished second marking, except (with `leaveOne`) the first one the
 * moderator is to mark, left for them to do; with `resolve`, every disagreement gets the
 * moderator's final outcome, otherwise they are left waiting on the moderator's worklist.
 */
export function moderateDemoRound(
  db: Db,
  roundId: number,
  seed: string,
  o: { leaveOne: boolean; resolve: boolean },
): void {
  const admin = scopeOf(db, 'admin@qaf.example')
  const moderator = scopeOf(db, 'moderator@qaf.example')
  const auditors = [scopeOf(db, 'auditor@qaf.example'), scopeOf(db, 'auditor2@qaf.example')]
  const rng = createRng(`${seed}:moderation`)
  const selected = selectedCases(db, roundId)
  // An item met in all but one of the chosen cases, where the second marker says "met" every
  // time: one disagreement, over 90% agreement, and kappa of 0 — the prevalence paradox the
  // report explains to its reader.
  const tally = new Map<string, { n: number; met: number }>()
  for (const c of selected) {
    for (const a of loadAnswers(db, c.sampleCaseId).values()) {
      const t = tally.get(a.itemId) ?? { n: 0, met: 0 }
      t.n++
      if (a.outcome === 'met') t.met++
      tally.set(a.itemId, t)
    }
  }
  const paradoxItem = [...tally.entries()]
    .filter(([, t]) => t.met === t.n - 1)
    .sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))[0]?.[0]
  let leftOne = false
  selected.forEach((c, i) => {
    // Every third case goes to the other auditor, the rest to the moderator.
    const other = auditors.find((a) => a.userId !== c.auditorId)
    const marker = i % 3 === 2 && other ? other : moderator
    allocateSecondMarker(db, admin, c.sampleCaseId, marker.userId)
    if (o.leaveOne && !leftOne && marker === moderator) {
      leftOne = true
      return
    }
    const ctx = loadCaseContext(db, marker, c.sampleCaseId)
    if (!ctx?.facts || !ctx.applicability) return
    const first = loadAnswers(db, c.sampleCaseId)
    const changes: AnswerChange[] = []
    for (const ob of ctx.applicability.items) {
      const a = first.get(ob.key)
      if (!a?.outcome) continue
      const outcome = ob.item.id === paradoxItem ? 'met' : rng.next() < 0.12 ? others[a.outcome] : a.outcome
      const dated = outcome === 'met' || outcome === 'partially_met'
      const evidenceDate = dated ? (a.evidenceDate ?? ob.triggerDate) : null
      changes.push({
        obligation: ob,
        value: {
          outcome,
          evidenceDate,
          note: null,
          timelinessOverride: null,
          overrideReason: null,
          dueDate: a.dueDate,
          daysLate: daysLateFor(a.dueDate, evidenceDate),
        },
        expectedVersion: 0,
        agencyId: a.agencyId,
        marker: 'second',
      })
    }
    saveAllAnswers(db, marker, ctx.rec, changes, null, null)
    // One facts disagreement, in the finished round only.
    const factsAgree = !(o.resolve && i === 1)
    completeSecondMarking(db, marker, ctx.rec, {
      factsAgree,
      factsNote: factsAgree
        ? null
        : 'The file shows the victim was also intimidated, so was eligible for enhanced rights',
    })
    if (o.resolve && !factsAgree)
      resolveFacts(
        db,
        moderator,
        c.sampleCaseId,
        'Checked with the file: the outcomes do not change, as the enhanced time limits were met anyway',
      )
  })
  if (!o.resolve) return
  for (const p of pairedAnswers(db, roundId)) {
    if (p.first === p.second) continue
    const final = rng.next() < 0.5 ? p.first : p.second
    resolveObligation(
      db,
      moderator,
      p.sampleCaseId,
      p.obligationKey,
      final as Outcome,
      final === p.first
        ? 'The auditor’s reading of the file is right'
        : 'The second marker found the evidence the auditor missed',
    )
  }
}
