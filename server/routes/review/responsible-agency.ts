// The agency directory a round's answers are attributed with (the rules are in
// audits/responsible-agency.ts).
import type { Db } from '../../../schema/database.ts'
import type { AgencyEntry } from '../../../audits/responsible-agency.ts'
import { statements } from './queries.ts'

/** Every agency, marked with whether the round has it in scope. */
export function loadAgencyDirectory(db: Db, roundId: number): AgencyEntry[] {
  return statements(db)
    .agencyDirectory.all({ roundId })
    .map((a) => ({ ...a, inRound: Boolean(a.inRound) }))
}
