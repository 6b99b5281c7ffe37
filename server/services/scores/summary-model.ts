// The partnership summary: headline scores of the latest published round and the biggest
// changes since the round before, judged by compareProportions so that only changes the
// intervals support are called improvements or falls.
import { judgeChange } from '../../../audits/scoring.ts'
import type { Db } from '../../../schema/database.ts'
import type { Scope } from '../../scope.ts'
import type { Figure } from './figures.ts'
import { buildRoundModel, type RoundModel, type ScoreBlock } from './round-model.ts'
import { latestPublishedRounds, type ScoreRound } from './rounds-queries.ts'

export interface Change {
  agencyLabel: string
  agencyId: number | null
  measure: string
  before: Figure
  after: Figure
  difference: number
  lower: number
  upper: number
}

export interface SummaryModel {
  latest: RoundModel | null
  previous: ScoreRound | null
  improvements: Change[]
  falls: Change[]
  /** Measures compared in both rounds with n > 0 on both sides. */
  compared: number
}

const TOP = 5

function measuresOf(b: ScoreBlock): { key: string; name: string; figure: Figure }[] {
  return [
    { key: 'overall', name: 'Overall compliance', figure: b.overall },
    ...b.themes.map((t) => ({ key: t.id, name: t.name, figure: t.figure })),
  ]
}

export function buildSummary(db: Db, scope: Scope): SummaryModel {
  const [latestRound, previousRound] = latestPublishedRounds(db)
  if (!latestRound) return { latest: null, previous: null, improvements: [], falls: [], compared: 0 }
  const latest = buildRoundModel(db, scope, latestRound, 'summary')
  if (!previousRound) return { latest, previous: null, improvements: [], falls: [], compared: 0 }
  const previous = buildRoundModel(db, scope, previousRound, 'summary')

  const before = new Map<string, ScoreBlock>()
  for (const b of [previous.partnership, ...previous.blocks]) if (b) before.set(String(b.agency?.id ?? 'all'), b)

  const changes: Change[] = []
  let compared = 0
  for (const b of [latest.partnership, ...latest.blocks]) {
    if (!b) continue
    const old = before.get(String(b.agency?.id ?? 'all'))
    if (!old) continue
    const oldMeasures = new Map(measuresOf(old).map((m) => [m.key, m.figure]))
    for (const m of measuresOf(b)) {
      const was = oldMeasures.get(m.key)
      if (!was || was.n === 0 || m.figure.n === 0) continue
      compared++
      const c = judgeChange({ successes: was.k, n: was.n }, { successes: m.figure.k, n: m.figure.n })
      if (
        (c.verdict !== 'better' && c.verdict !== 'worse') ||
        c.difference === null ||
        c.lower === null ||
        c.upper === null
      )
        continue
      changes.push({
        agencyLabel: b.label,
        agencyId: b.agency?.id ?? null,
        measure: m.name,
        before: was,
        after: m.figure,
        difference: c.difference,
        lower: c.lower,
        upper: c.upper,
      })
    }
  }
  return {
    latest,
    previous: previousRound,
    improvements: changes
      .filter((c) => c.lower > 0)
      .sort((a, b) => b.difference - a.difference)
      .slice(0, TOP),
    falls: changes
      .filter((c) => c.upper < 0)
      .sort((a, b) => a.difference - b.difference)
      .slice(0, TOP),
    compared,
  }
}
