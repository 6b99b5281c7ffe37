// Saving answers to a case under review, one (autosave) or a whole page at once. Each save runs in
// one transaction with its audit-log entries, so a change and its record are written together or
// not at all. The facts are saved by facts-writes.ts, status changes by case-status-writes.ts.
import { eq } from 'drizzle-orm'
import { sampleCases } from '../../../schema/index.ts'
import type { Db, Queryable } from '../../../schema/database.ts'
import type { Obligation } from '../../../audits/applicability.ts'
import type { CaseFacts } from '../../../audits/case-facts.ts'
import { sameAnswer, type AnswerValue } from '../../../audits/answer-rules.ts'
import { statusAfterEdit, type CaseStatus } from '../../../audits/case-progress.ts'
import { actorOf, recordAudit } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'
import type { CaseRecord, ReviewMarker } from './case-record.ts'
import { loadAnswer, statements, type AnswerRow } from './queries.ts'
import { snapshot, valueOf } from './answer-values.ts'
import { writeFacts, type FactsChange } from './facts-writes.ts'

/**
 * The first change by the auditor starts the case (or takes a returned case back into progress),
 * and keeps the facts the answers were given against if none were saved yet.
 */
function touchCase(
  db: Db,
  tx: Queryable,
  scope: Scope,
  rec: CaseRecord,
  now: string,
  factsToKeep: CaseFacts | null,
): CaseStatus {
  const status = statusAfterEdit(rec.status)
  const keepFacts = rec.facts === null && factsToKeep !== null
  if (keepFacts)
    tx.update(sampleCases)
      .set({ status, updatedAt: now, facts: JSON.stringify(factsToKeep) })
      .where(eq(sampleCases.id, rec.id))
      .run()
  else statements(db).touchCase.run({ id: rec.id, status, updatedAt: now })
  if (status !== rec.status || keepFacts) {
    recordAudit(
      db,
      {
        actor: actorOf(scope),
        action: 'case_updated',
        entity: 'sample_case',
        entityId: rec.id,
        before: { status: rec.status, ...(keepFacts ? { facts: null } : {}) },
        after: { status, ...(keepFacts ? { facts: factsToKeep } : {}) },
      },
      now,
    )
  }
  return status
}

/** `before` is the answer as stored when the save began. */
export type AnswerSave =
  | { kind: 'saved'; row: AnswerRow; before: AnswerRow | null }
  | { kind: 'unchanged'; row: AnswerRow | null; before: AnswerRow | null }
  /** The stored version is not the one the client edited: nothing written. */
  | { kind: 'conflict'; row: AnswerRow | null; before: AnswerRow | null }

export interface AnswerChange {
  obligation: Obligation
  value: AnswerValue
  /** The version the client last saw (0: no answer yet). */
  expectedVersion: number
  agencyId: number | null
  /** Whose answer this is; a second marker's never moves the case itself. */
  marker?: ReviewMarker
}

/**
 * What saving `change` over `existing` means. Sending what is already stored changes nothing
 * whatever version the client had; anything else needs the version it was edited from.
 */
export function classifyChange(
  existing: AnswerRow | null,
  change: Pick<AnswerChange, 'value' | 'expectedVersion' | 'agencyId'>,
): 'unchanged' | 'conflict' | 'write' {
  if (
    sameAnswer(existing ? valueOf(existing) : null, change.value) &&
    (existing === null || existing.agencyId === change.agencyId)
  )
    return 'unchanged'
  return (existing?.version ?? 0) === change.expectedVersion ? 'write' : 'conflict'
}

// Runs the prepared statements on `db`: inside db.transaction they share its one connection, so
// they are part of the caller's transaction.
function writeAnswer(db: Db, scope: Scope, rec: CaseRecord, change: AnswerChange, now: string): AnswerSave {
  const marker = change.marker ?? 'primary'
  const existing = loadAnswer(db, rec.id, change.obligation.key, marker)
  const kind = classifyChange(existing, change)
  if (kind !== 'write') return { kind, row: existing, before: existing }
  const current = existing?.version ?? 0
  const fields = {
    ...change.value,
    agencyId: change.agencyId,
    version: current + 1,
    updatedBy: scope.userId,
    updatedAt: now,
  }
  const s = statements(db)
  const row = existing
    ? s.updateAnswer.get({ ...fields, id: existing.id })
    : s.insertAnswer.get({
        ...fields,
        caseId: rec.id,
        marker,
        key: change.obligation.key,
        itemId: change.obligation.item.id,
      })
  if (!row) throw new Error('answer write returned no row')
  recordAudit(
    db,
    {
      actor: actorOf(scope),
      action: 'answer_saved',
      entity: 'answer',
      entityId: row.id,
      before: existing ? snapshot(existing) : null,
      after: snapshot(row),
    },
    now,
  )
  return { kind: 'saved', row: { ...row, updatedByName: scope.displayName }, before: existing }
}

/** Saves one answer if the client saw the stored version; refuses (writing nothing) if not. */
export function saveAnswer(
  db: Db,
  scope: Scope,
  rec: CaseRecord,
  change: AnswerChange,
  factsToKeep: CaseFacts | null,
  now = new Date().toISOString(),
): AnswerSave {
  // Immediate: the stored version is read and replaced under one write lock, so no other writer
  // can slip in between (a deferred transaction would have to upgrade its read lock).
  return db.transaction(
    (tx) => {
      const result = writeAnswer(db, scope, rec, change, now)
      if (result.kind === 'saved' && (change.marker ?? 'primary') === 'primary')
        touchCase(db, tx, scope, rec, now, factsToKeep)
      return result
    },
    { behavior: 'immediate' },
  )
}

export type AnswersSave = { kind: 'saved'; written: number } | { kind: 'conflict'; keys: string[] }

/**
 * The whole page at once (no script): every change or none. A conflict on any answer rolls back
 * the lot, so the auditor sees every clash before anything is written. Answers are written before
 * the facts, so that re-judging them under new facts does not count as somebody else's change.
 */
export function saveAllAnswers(
  db: Db,
  scope: Scope,
  rec: CaseRecord,
  changes: AnswerChange[],
  factsChange: FactsChange | null,
  factsToKeep: CaseFacts | null,
  now = new Date().toISOString(),
): AnswersSave {
  const conflicts: string[] = []
  let written = 0
  try {
    db.transaction((tx) => {
      for (const change of changes) {
        const result = writeAnswer(db, scope, rec, change, now)
        if (result.kind === 'conflict') conflicts.push(change.obligation.key)
        if (result.kind === 'saved') written++
      }
      if (conflicts.length > 0) throw new Rollback()
      const factsChanged = factsChange ? writeFacts(db, tx, scope, rec, factsChange, now).changed : false
      const primary = changes.every((c) => (c.marker ?? 'primary') === 'primary')
      if (written > 0 && !factsChanged && primary) touchCase(db, tx, scope, rec, now, factsToKeep)
    })
  } catch (err) {
    if (err instanceof Rollback) return { kind: 'conflict', keys: conflicts }
    throw err
  }
  return { kind: 'saved', written }
}

class Rollback extends Error {}
