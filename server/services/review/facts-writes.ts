// Saving a case's facts: answers that no longer apply are deleted and the rest re-judged, all in
// one transaction with their audit-log entries.
import { eq, inArray } from 'drizzle-orm'
import { answers, sampleCases } from '../../../schema/index.ts'
import type { Applicability } from '../../../audits/applicability.ts'
import type { CaseFacts } from '../../../audits/case-facts.ts'
import { daysLateFor, isBlankAnswer } from '../../../audits/answer-rules.ts'
import { statusAfterEdit, type CaseStatus } from '../../../audits/case-progress.ts'
import { agencyForObligation, type AgencyEntry } from '../../../audits/responsible-agency.ts'
import type { Db, Queryable } from '../../../schema/database.ts'
import { actorOf, recordAudit } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'
import type { CaseRecord } from './case-record.ts'
import { snapshot, valueOf, type StoredAnswer } from './answer-values.ts'

export interface FactsChange {
  facts: CaseFacts
  applicability: Applicability
  directory: readonly AgencyEntry[]
}

/**
 * Stored answers whose obligation would no longer apply under `applicability` (any marker).
 * `answered` are those with something recorded, which the auditor must agree to lose.
 */
export function answersLeaving(
  db: Queryable,
  caseId: number,
  applicability: Applicability,
): { all: StoredAnswer[]; answered: StoredAnswer[] } {
  const keys = new Set(applicability.items.map((o) => o.key))
  const all = db
    .select()
    .from(answers)
    .where(eq(answers.sampleCaseId, caseId))
    .all()
    .filter((a) => !keys.has(a.obligationKey))
  return { all, answered: all.filter((a) => !isBlankAnswer(valueOf(a))) }
}

export function writeFacts(
  db: Db,
  tx: Queryable,
  scope: Scope,
  rec: CaseRecord,
  change: FactsChange,
  now: string,
): { changed: boolean; status: CaseStatus } {
  const json = JSON.stringify(change.facts)
  if (json === rec.facts) return { changed: false, status: rec.status }
  const actor = actorOf(scope)
  const byKey = new Map(change.applicability.items.map((o) => [o.key, o]))

  // Answers only ever hold obligations that apply, since scores count every stored answer.
  const leaving = answersLeaving(tx, rec.id, change.applicability).all
  if (leaving.length > 0) {
    tx.delete(answers)
      .where(
        inArray(
          answers.id,
          leaving.map((a) => a.id),
        ),
      )
      .run()
    for (const a of leaving)
      recordAudit(
        db,
        { actor, action: 'answer_deleted', entity: 'answer', entityId: a.id, before: snapshot(a), after: null },
        now,
      )
  }

  // Answers that stay may now fall due on another day (enhanced eligibility changed) or count
  // towards another agency (a different agency named on the event).
  const staying = tx.select().from(answers).where(eq(answers.sampleCaseId, rec.id)).all()
  for (const a of staying) {
    const obligation = byKey.get(a.obligationKey)
    if (!obligation) continue
    const dueDate = obligation.dueDate
    const daysLate = daysLateFor(dueDate, a.evidenceDate)
    const agencyId = agencyForObligation(change.directory, change.facts, obligation, rec.agencyRef)
    if (dueDate === a.dueDate && daysLate === a.daysLate && agencyId === a.agencyId) continue
    const row = tx
      .update(answers)
      .set({
        dueDate,
        daysLate,
        agencyId,
        timelinessOverride: dueDate === null ? null : a.timelinessOverride,
        version: a.version + 1,
        updatedBy: scope.userId,
        updatedAt: now,
      })
      .where(eq(answers.id, a.id))
      .returning()
      .get()
    recordAudit(
      db,
      {
        actor,
        action: 'answer_recomputed',
        entity: 'answer',
        entityId: a.id,
        before: snapshot(a),
        after: snapshot(row),
      },
      now,
    )
  }

  const status = statusAfterEdit(rec.status)
  tx.update(sampleCases).set({ facts: json, status, updatedAt: now }).where(eq(sampleCases.id, rec.id)).run()
  recordAudit(
    db,
    {
      actor,
      action: 'case_facts_saved',
      entity: 'sample_case',
      entityId: rec.id,
      before: { status: rec.status, facts: storedJson(rec.facts) },
      after: { status, facts: change.facts },
    },
    now,
  )
  return { changed: true, status }
}

/** Stored JSON for the log; text that does not parse is kept as it was rather than lost. */
function storedJson(json: string | null): unknown {
  if (json === null) return null
  try {
    return JSON.parse(json) as unknown
  } catch {
    return json
  }
}

/** Saves the facts, dropping answers that no longer apply and re-judging the rest. */
export function saveFacts(
  db: Db,
  scope: Scope,
  rec: CaseRecord,
  change: FactsChange,
  now = new Date().toISOString(),
): { changed: boolean } {
  return db.transaction((tx) => ({ changed: writeFacts(db, tx, scope, rec, change, now).changed }))
}
