// The commissioned services' latest scores, for the Victims' Advocate's home page: each service's
// figure in the newest finished (published or archived) dip sample that sampled it, built by the
// same round model as every score page, so the figure and its interval are the round page's own.
import type { Db } from '../../../schema/database.ts'
import { isPublished } from '../../access.ts'
import type { Scope } from '../../scope.ts'
import type { Figure } from './figures.ts'
import { buildRoundModel } from './round-model.ts'
import { visibleRounds, type ScoreRound } from './rounds-queries.ts'

export interface ServiceScore {
  agencyId: number
  agencyName: string
  round: ScoreRound
  /** Strict compliance with its 95% interval, over every question of the dip sample. */
  figure: Figure
}

/** One row per service the user may see, by name; empty before any dip sample is finished. */
export function commissionedServiceScores(db: Db, scope: Scope): ServiceScore[] {
  const finished = visibleRounds(db, scope, 'commissioned_services')
    .filter((r) => isPublished(r.status))
    .reverse()
  const latest = new Map<number, ServiceScore>()
  for (const round of finished) {
    for (const block of buildRoundModel(db, scope, round, 'summary').blocks) {
      if (!block.agency || block.overall.n === 0 || latest.has(block.agency.id)) continue
      latest.set(block.agency.id, { agencyId: block.agency.id, agencyName: block.label, round, figure: block.overall })
    }
  }
  return [...latest.values()].sort((a, b) => a.agencyName.localeCompare(b.agencyName))
}
