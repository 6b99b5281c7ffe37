// Changes to findings and their actions, each in one transaction with its audit-log entry (before
// and after).
import { eq } from 'drizzle-orm'
import { actionUpdates, findingActions, findings } from '../../../schema/index.ts'
import type { Db } from '../../../schema/database.ts'
import type { ActionStatus, FindingStatus, Severity } from '../../../audits/findings.ts'
import { actorOf, insertRecorded, recordAudit, updateRecorded } from '../../audit-log.ts'
import type { Scope } from '../../scope.ts'
import type { ScoreRound } from '../scores/rounds-queries.ts'
import { evidenceFor } from './evidence.ts'

export interface NewFinding {
  round: ScoreRound
  agencyId: number
  title: string
  itemIds: string[]
  caseRefs: string[]
  severity: Severity
  recommendation: string
  status: 'draft' | 'proposed'
}

export function createFinding(db: Db, scope: Scope, input: NewFinding, now = new Date().toISOString()): number {
  return db.transaction(() => {
    const evidence = evidenceFor(db, input.round, input.agencyId, input.itemIds)
    const row = insertRecorded(
      db,
      scope,
      findings,
      {
        roundId: input.round.id,
        agencyId: input.agencyId,
        title: input.title,
        itemIds: JSON.stringify(input.itemIds),
        evidence: JSON.stringify(evidence),
        caseRefs: JSON.stringify(input.caseRefs),
        severity: input.severity,
        recommendation: input.recommendation,
        status: input.status,
        raisedBy: scope.userId,
        createdAt: now,
        updatedAt: now,
      },
      { action: input.status === 'proposed' ? 'finding_proposed' : 'finding_raised', entity: 'finding' },
      now,
    )
    return row.id
  })
}

/** Moves a finding, with the reason or response the move carries; the caller has checked the rules. */
export function moveFinding(
  db: Db,
  scope: Scope,
  id: number,
  to: FindingStatus,
  text: string | null,
  now = new Date().toISOString(),
): void {
  db.transaction(() => {
    const changes: Partial<typeof findings.$inferInsert> = { status: to, updatedAt: now }
    if (to === 'declined') changes.declineReason = text
    if (to === 'responded') Object.assign(changes, { response: text, respondedAt: now, returnReason: null })
    if (to === 'issued' && text) changes.returnReason = text
    updateRecorded(db, scope, findings, id, changes, { action: `finding_${to}`, entity: 'finding' }, now)
  })
}

type ActionRecord = typeof findingActions.$inferSelect

function actionRecord(db: Db, id: number): ActionRecord {
  const row = db.select().from(findingActions).where(eq(findingActions.id, id)).get()
  if (!row) throw new Error(`action ${id} vanished inside its transaction`)
  return row
}

export function addAction(
  db: Db,
  scope: Scope,
  finding: { id: number; agencyId: number },
  input: { description: string; dueDate: string },
  now = new Date().toISOString(),
): number {
  const values: typeof findingActions.$inferInsert = {
    findingId: finding.id,
    ownerAgencyId: finding.agencyId,
    description: input.description,
    dueDate: input.dueDate,
    status: 'open',
    createdBy: scope.userId,
    createdAt: now,
    updatedAt: now,
  }
  const log = { action: 'action_added', entity: 'finding_action' }
  return db.transaction(() => insertRecorded(db, scope, findingActions, values, log, now).id)
}

export function recordProgress(
  db: Db,
  scope: Scope,
  actionId: number,
  input: { on: string; note: string; status: ActionStatus },
  now = new Date().toISOString(),
): void {
  db.transaction(() => {
    const before = actionRecord(db, actionId)
    const update = db
      .insert(actionUpdates)
      .values({
        actionId,
        on: input.on,
        note: input.note,
        statusAfter: input.status,
        byUserId: scope.userId,
        createdAt: now,
      })
      .returning()
      .get()
    db.update(findingActions).set({ status: input.status, updatedAt: now }).where(eq(findingActions.id, actionId)).run()
    recordAudit(
      db,
      {
        actor: actorOf(scope),
        action: 'action_progress',
        entity: 'finding_action',
        entityId: actionId,
        before,
        after: { ...actionRecord(db, actionId), update },
      },
      now,
    )
  })
}

export function closeAction(db: Db, scope: Scope, actionId: number, now = new Date().toISOString()): void {
  db.transaction(() => {
    const log = { action: 'action_closed', entity: 'finding_action' }
    updateRecorded(db, scope, findingActions, actionId, { status: 'closed', updatedAt: now }, log, now)
  })
}
