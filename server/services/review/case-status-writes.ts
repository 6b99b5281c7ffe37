// A case's status changes that are not an edit: completing it, returning it to the auditor and
// reporting it unusable. Each is one transaction with its audit-log entry.
import { and, eq } from 'drizzle-orm'
import { sampleCases } from '../../../schema/index.ts'
import type { CaseStatus } from '../../../audits/case-progress.ts'
import type { Db } from '../../../schema/database.ts'
import { actorOf, recordAudit } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'
import type { CaseRecord } from './case-record.ts'

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
