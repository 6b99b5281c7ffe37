// A round's scores as pages and exports present them: per agency overall, by theme, by Right or
// topic, by item and by Ministry of Justice measure, and partnership-wide. Built from one SQL
// roll-up; what an agency user may see is decided before any row is read.
import { mojMeasures, roundItems, themes } from '../../../audits/frameworks/index.ts'
import { tallyFlagChecks, type FlagTally } from '../../../audits/enhanced-eligibility.ts'
import type { FrameworkItem } from '../../../audits/frameworks/index.ts'
import type { Db } from '../../../schema/database.ts'
import { agencyRestriction } from '../../access.ts'
import type { Scope } from '../../scope.ts'
import { figure, weightedFigure, type Figure, type WeightedFigure } from './figures.ts'
import { roundRollup, type Level, type Rollup } from './rollup-queries.ts'
import { memoised } from './memo.ts'
import {
  caseCounts,
  countedCaseFacts,
  roundAgencyList,
  sampleDesign,
  type CaseCounts,
  type SampleDesign,
  type ScoreAgency,
  type ScoreRound,
} from './rounds-queries.ts'
import type { RagThresholds } from '../../../audits/scoring.ts'

export interface NamedFigure {
  id: string
  name: string
  figure: Figure
}

export interface GroupFigures extends NamedFigure {
  items: (NamedFigure & { item: FrameworkItem })[]
}

export interface ScoreBlock {
  /** null for the partnership-wide block. */
  agency: ScoreAgency | null
  label: string
  overall: Figure
  weighted: WeightedFigure | null
  themes: NamedFigure[]
  groups: GroupFigures[]
  items: (NamedFigure & { item: FrameworkItem })[]
  moj: NamedFigure[]
}

export interface RoundModel {
  round: ScoreRound
  thresholds: RagThresholds
  design: SampleDesign | null
  cases: CaseCounts
  /** Agencies shown, each with its scores (only the user's own for agency users). */
  blocks: ScoreBlock[]
  /** Partnership-wide scores; null for agency users, who see their own agency only. */
  partnership: ScoreBlock | null
  /** The agencies' enhanced flags against the case facts; partnership-wide, so null for agency users. */
  flags: FlagTally | null
  detail: Detail
}

/** 'summary': overall and themes (the dashboard); 'full': also Rights, items and MoJ measures. */
export type Detail = 'summary' | 'full'

export const PARTNERSHIP_LABEL = 'All agencies (partnership)'

export function thresholdsOf(round: ScoreRound): RagThresholds {
  return { green: round.ragGreen, amber: round.ragAmber }
}

function levelsFor(detail: Detail, partnership: boolean, weighted: boolean): Level[] {
  const out: Level[] = ['agency', 'agency_theme']
  if (weighted) out.push('agency_stratum')
  if (detail === 'full') out.push('agency_grp', 'agency_item', 'agency_moj')
  if (partnership) {
    out.push('all', 'theme')
    if (weighted) out.push('stratum')
    if (detail === 'full') out.push('grp', 'item', 'moj')
  }
  return out
}

/**
 * Builds the model. `onlyAgency` narrows to one agency the caller has already checked the user
 * may see (a drill-down); agency users are narrowed to their own agency regardless.
 */
export function buildRoundModel(
  db: Db,
  scope: Scope,
  round: ScoreRound,
  detail: Detail,
  onlyAgency: number | null = null,
): RoundModel {
  const own = agencyRestriction(scope)
  const confine = own ?? onlyAgency
  // The sample's design and its cases' counts change only with the round's sampled cases, so they
  // are kept with the round's data version like the roll-up (a draw writes its cases too).
  const { design, cases } = memoised(db, round.id, 'design-and-cases', () => ({
    design: sampleDesign(db, round.id),
    cases: caseCounts(db, round.id),
  }))
  const weighted = design?.weighted ?? false
  const rollup = roundRollup(db, round.id, confine, levelsFor(detail, confine === null, weighted))
  const thresholds = thresholdsOf(round)
  const agencies = roundAgencyList(db, scope, round.id, rollup.agencyIds()).filter(
    (a) => onlyAgency === null || a.id === onlyAgency,
  )
  // The round's edition heads the report; a case's answers under the other edition (a duty
  // triggered on the other side of 1 April 2021) follow, each under its own item. A
  // commissioned-services round has its own question set, scored by the same blocks.
  const items = roundItems(round.framework, round.edition)
  const blocks = agencies.map((a) => block(rollup, a, items, round.edition, detail, design, cases, thresholds))
  const partnership =
    confine === null ? block(rollup, null, items, round.edition, detail, design, cases, thresholds) : null
  // The agencies' enhanced flags are a Code matter; a dip sample does not record them.
  const flags =
    confine === null && round.framework === 'victims_code'
      ? memoised(db, round.id, 'flag-checks', () => tallyFlagChecks(countedCaseFacts(db, round.id)))
      : null
  return { round, thresholds, design, cases, blocks, partnership, flags, detail }
}

function block(
  rollup: Rollup,
  agency: ScoreAgency | null,
  items: readonly FrameworkItem[],
  headings: FrameworkItem['edition'],
  detail: Detail,
  design: SampleDesign | null,
  cases: CaseCounts,
  t: RagThresholds,
): ScoreBlock {
  const id = agency?.id ?? null
  const lvl = (agencyLevel: Level, partnershipLevel: Level) => (agency ? agencyLevel : partnershipLevel)
  const overall = figure(rollup.get(lvl('agency', 'all'), id), t)
  const weighted = weightedFigure(rollup, agency ? 'agency_stratum' : 'stratum', id, design, cases, t)
  const themeFigures = themes.map((th) => ({
    id: th.id,
    name: th.name,
    figure: figure(rollup.get(lvl('agency_theme', 'theme'), id, th.id), t),
  }))
  let itemFigures: ScoreBlock['items'] = []
  let groups: GroupFigures[] = []
  let moj: NamedFigure[] = []
  if (detail === 'full') {
    const answered = new Set(rollup.keys(lvl('agency_item', 'item'), id))
    // An agency's list: the items its type is responsible for, and any others its answers count towards.
    const shown = items.filter(
      (it) => answered.has(it.id) || (it.edition === headings && (!agency || it.agency === agency.type)),
    )
    itemFigures = shown.map((it) => ({
      id: it.id,
      name: it.title,
      item: it,
      figure: figure(rollup.get(lvl('agency_item', 'item'), id, it.id), t),
    }))
    const byGroup = new Map<string, GroupFigures>()
    for (const f of itemFigures) {
      let g = byGroup.get(f.item.group)
      if (!g) {
        g = {
          id: f.item.group,
          name: f.item.group,
          figure: figure(rollup.get(lvl('agency_grp', 'grp'), id, f.item.group), t),
          items: [],
        }
        byGroup.set(f.item.group, g)
      }
      g.items.push(f)
    }
    groups = [...byGroup.values()]
    moj = mojMeasures.map((m) => ({
      id: m.id,
      name: m.name,
      figure: figure(rollup.get(lvl('agency_moj', 'moj'), id, m.id), t),
    }))
  }
  return {
    agency,
    label: agency?.name ?? PARTNERSHIP_LABEL,
    overall,
    weighted,
    themes: themeFigures,
    groups,
    items: itemFigures,
    moj,
  }
}
