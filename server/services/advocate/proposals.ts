// A finding proposed from an observation: made through the findings' own write path (so it is
// checked, evidenced and audit-logged as any other finding) and linked to the observation in
// the same transaction.
import type { Db } from '../../../schema/database.ts'
import { createFinding, type NewFinding } from '../findings/writes.ts'
import type { Scope } from '../../scope.ts'
import { linkObservation } from './observations.ts'

export function proposeFromObservation(db: Db, scope: Scope, observationId: number, finding: NewFinding): number {
  return db.transaction(() => {
    const now = new Date().toISOString()
    const id = createFinding(db, scope, finding, now)
    linkObservation(db, scope, observationId, id, now)
    return id
  })
}
