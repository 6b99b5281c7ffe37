// Changes to a case under review. Each runs in one transaction with its audit-log entries, so a
// change and its record are written together or not at all.
import { and, eq, inArray } from 'drizzle-orm'
import { answers, sampleCases } from '../../../schema/index.ts'
import type { Db, Queryable } from '../../../schema/database.ts'
import type { Applicability, Obligation } from '../../../audits/applicability.ts'
import type { CaseFacts } from '../../../audits/case-facts.ts'
import { daysLateFor, isBlankAnswer, sameAnswer, type AnswerValue } from '../../../audits/answer-rules.ts'
import { statusAfterEdit, type CaseStatus } from '../../../audits/case-progress.ts'
import { actorOf, recordAudit } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'
import { loadAnswer, statements, type AnswerRow, type CaseRecord, type ReviewMarker } from './queries.ts'
import { agencyForObligation, type AgencyEntry } from '../../../audits/responsible-agency.ts'

type StoredAnswer = typeof answers.$inferSelect

/** What the audit log keeps of an answer: enough to see exactly what changed. */
function snapshot(row: StoredAnswer) {
  return {
    case: row.sampleCaseId,
    marker: row.marker,
    key: row.obligationKey,
    item: row.itemId,
    agency: row.agencyId,
    outcome: row.outcome,
    evidenceDate: row.evidenceDate,
    dueDate: row.dueDate,
    daysLate: row.daysLate,
    timelinessOverride: row.timelinessOverride,
    overrideReason: row.overrideReason,
    note: row.note,
    version: row.version,
  }
}

export function valueOf(
  row: Pick<
    StoredAnswer,
    'outcome' | 'evidenceDate' | 'note' | 'timelinessOverride' | 'overrideReason' | 'dueDate' | 'daysLate'
  >,
): AnswerValue {
  return {
    outcome: row.outcome,
    evidenceDate: row.evidenceDate,
    note: row.note,
    timelinessOverride: row.timelinessOverride,
    overrideReason: row.overrideReason,
    dueDate: row.dueDate,
    daysLate: row.daysLate,
  }
}

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

// `db` runs the prepared statements; inside db.transaction they share its one connection, so they
// are part of the transaction as much as anything run through `tx`.
function writeAnswer(
  db: Db,
  tx: Queryable,
  scope: Scope,
  rec: CaseRecord,
  change: AnswerChange,
  now: string,
): AnswerSave {
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
      const result = writeAnswer(db, tx, scope, rec, change, now)
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
        const result = writeAnswer(db, tx, scope, rec, change, now)
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

function writeFacts(
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

type CaseChange = Partial<
  Pick<typeof sampleCases.$inferInsert, 'status' | 'completedAt' | 'returnComment' | 'unusableReason'>
>

/** A change of a case's status and its audit-log entry, in one transaction. */
function changeCase(
  db: Db,
  scope: Scope,
  rec: CaseRecord,
  change: { set: CaseChange; onlyFrom?: CaseStatus; action: string; before: object; after: object },
  now: string,
): void {
  db.transaction((tx) => {
    const where = change.onlyFrom
      ? and(eq(sampleCases.id, rec.id), eq(sampleCases.status, change.onlyFrom))
      : eq(sampleCases.id, rec.id)
    tx.update(sampleCases)
      .set({ ...change.set, updatedAt: now })
      .where(where)
      .run()
    recordAudit(
      db,
      {
        actor: actorOf(scope),
        action: change.action,
        entity: 'sample_case',
        entityId: rec.id,
        before: change.before,
        after: change.after,
      },
      now,
    )
  })
}

export function completeCase(db: Db, scope: Scope, rec: CaseRecord, now = new Date().toISOString()): void {
  changeCase(
    db,
    scope,
    rec,
    {
      set: { status: 'complete', completedAt: now, returnComment: null },
      action: 'case_completed',
      before: { status: rec.status, returnComment: rec.returnComment },
      after: { status: 'complete', completedAt: now },
    },
    now,
  )
}

export function returnCase(
  db: Db,
  scope: Scope,
  rec: CaseRecord,
  comment: string,
  now = new Date().toISOString(),
): void {
  changeCase(
    db,
    scope,
    rec,
    {
      set: { status: 'returned', returnComment: comment, completedAt: null },
      onlyFrom: 'complete',
      action: 'case_returned',
      before: { status: rec.status, completedAt: rec.completedAt },
      after: { status: 'returned', returnComment: comment },
    },
    now,
  )
}

export function reportUnusable(
  db: Db,
  scope: Scope,
  rec: CaseRecord,
  reason: string,
  now = new Date().toISOString(),
): void {
  changeCase(
    db,
    scope,
    rec,
    {
      set: { status: 'unusable', unusableReason: reason },
      action: 'case_reported_unusable',
      before: { status: rec.status, unusableReason: rec.unusableReason },
      after: { status: 'unusable', unusableReason: reason },
    },
    now,
  )
}
