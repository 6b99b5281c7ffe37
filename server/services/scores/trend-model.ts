// One measure across rounds, across Code editions through the crosswalk, with the verdict of
// compareProportions between each round and the one before it that had data.
import { sql, type SQL } from 'drizzle-orm'
import { editions, frameworks, getItem, themes } from '../../../audits/frameworks/index.ts'
import type { Edition, FrameworkItem, ThemeId } from '../../../audits/frameworks/index.ts'
import { judgeChange, type TrendVerdict } from '../../../audits/scoring.ts'
import { itemsForEdition, type SeriesMatch } from '../../../audits/scoring.ts'
import type { Db } from '../../../schema/database.ts'
import { effectiveAnswers, toCounts, type CountRow, type Counts, emptyCounts } from './rollup-queries.ts'
import { memoisedPerRound } from './memo.ts'
import type { ScoreRound } from './rounds-queries.ts'
import { figure, type Figure } from './figures.ts'
import { thresholdsOf } from './round-model.ts'

export type Measure =
  | { kind: 'overall'; value: 'overall'; name: string }
  | { kind: 'theme'; value: string; name: string; theme: ThemeId }
  | { kind: 'item'; value: string; name: string; item: FrameworkItem }

export const OVERALL: Measure = { kind: 'overall', value: 'overall', name: 'Overall compliance' }

const editionNames: Record<Edition, string> = { '2015': '2015 Code', '2020': '2020 Code' }

/** A measure from its query-string value; null for anything unknown. */
export function parseMeasure(raw: unknown): Measure | null {
  if (raw === undefined || raw === '' || raw === 'overall') return OVERALL
  if (typeof raw !== 'string') return null
  const theme = /^theme:([a-z_]+)$/.exec(raw)
  if (theme) {
    const t = themes.find((x) => x.id === theme[1])
    return t ? { kind: 'theme', value: raw, name: t.name, theme: t.id } : null
  }
  const item = /^item:([A-Za-z0-9.-]{1,20})$/.exec(raw)
  if (item?.[1]) {
    const it = getItem(item[1])
    return it
      ? { kind: 'item', value: raw, name: `${it.id} ${it.title} (${editionNames[it.edition]})`, item: it }
      : null
  }
  return null
}

export interface MeasureGroup {
  label: string
  options: { value: string; text: string }[]
}

export function measureOptions(): MeasureGroup[] {
  return [
    { label: 'Overall', options: [{ value: 'overall', text: OVERALL.name }] },
    { label: 'Themes', options: themes.map((t) => ({ value: `theme:${t.id}`, text: t.name })) },
    ...editions
      .slice()
      .reverse()
      .map((e) => ({
        label: `Items of the ${editionNames[e]}`,
        options: frameworks[e].items.map((it) => ({ value: `item:${it.id}`, text: `${it.id} ${it.title}` })),
      })),
  ]
}

// Outcome counts only: a trend shows compliance, and leaving out timeliness keeps the scan of
// every answer of every round as light as it can be.
const OUTCOME_COUNTS = sql.raw(`
  coalesce(sum(outcome = 'met'), 0) AS met,
  coalesce(sum(outcome = 'partially_met'), 0) AS partial,
  coalesce(sum(outcome = 'not_met'), 0) AS not_met,
  coalesce(sum(outcome = 'not_evidenced'), 0) AS not_evidenced,
  coalesce(sum(outcome = 'not_applicable'), 0) AS not_applicable,
  0 AS on_time, 0 AS late, NULL AS late_days`)

/**
 * The items that make up a measure in a round of an edition, or null for every item (overall).
 * A round's cases can hold duties of both editions (each judged under the Code in force on its
 * trigger date), so a theme takes both editions' items, and an item itself as well as its
 * counterparts in the round's edition.
 */
function itemsOf(measure: Measure, edition: Edition): string[] | null {
  if (measure.kind === 'overall') return null
  if (measure.kind === 'theme')
    return editions.flatMap((e) => frameworks[e].items.filter((i) => i.theme === measure.theme).map((i) => i.id))
  const mapped = itemsForEdition(measure.item.id, measure.item.edition, edition).ids
  return mapped.length === 0 ? [] : [...new Set([measure.item.id, ...mapped])]
}

/** Counts per round for one measure, confined to one agency or partnership-wide (null). */
export function trendCounts(
  db: Db,
  rounds: readonly ScoreRound[],
  agencyId: number | null,
  measure: Measure,
): Map<number, Counts> {
  const list = (ids: readonly (number | string)[]) =>
    sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )
  // Each edition's rounds are counted on that edition's items for the measure (through the
  // crosswalk for an item of the other edition); the item lists come from the domain core.
  const roundIds: number[] = []
  const allItems = new Set<string>()
  const itemConditions: SQL[] = []
  for (const e of editions) {
    const ids = rounds.filter((r) => r.edition === e).map((r) => r.id)
    const items = itemsOf(measure, e)
    if (ids.length === 0 || (items !== null && items.length === 0)) continue
    roundIds.push(...ids)
    for (const i of items ?? []) allItems.add(i)
    if (items !== null) itemConditions.push(sql`(c.round_id IN (${list(ids)}) AND a.item_id IN (${list(items)}))`)
  }
  if (roundIds.length === 0) return new Map()
  const extra =
    itemConditions.length > 0
      ? sql`AND a.item_id IN (${list([...allItems])}) AND (${sql.join(itemConditions, sql` OR `)})`
      : sql``
  // Kept per round, so a change in one round recounts only that round.
  return memoisedPerRound(
    db,
    `trend|${agencyId ?? ''}|${measure.value}`,
    roundIds,
    (missing) => {
      // Raw: a roll-up over the effectiveAnswers CTE, driven from the answers index, which the builder can't express.
      const rows = db.all<CountRow & { round_id: number }>(sql`
      WITH ${effectiveAnswers(sql`sc.round_id IN (${list(missing)})`, agencyId, extra, 'answers')}
      SELECT round_id, ${OUTCOME_COUNTS} FROM eff GROUP BY round_id`)
      return new Map(rows.map((r) => [r.round_id, toCounts(r)]))
    },
    toCounts(undefined),
  )
}

export interface TrendChange {
  verdict: TrendVerdict
  difference: number | null
  lower: number | null
  upper: number | null
  against: ScoreRound
}

export interface TrendPoint {
  round: ScoreRound
  figure: Figure
  /** Whether the round's Code edition has the measure at all (items through the crosswalk). */
  measured: boolean
  match: SeriesMatch | null
  /** The items counted in this round, where they differ from the measure's own item. */
  countedItems: string[]
  notes: string[]
  change: TrendChange | null
}

export function buildTrend(
  db: Db,
  rounds: readonly ScoreRound[],
  agencyId: number | null,
  measure: Measure,
): TrendPoint[] {
  const counts = trendCounts(db, rounds, agencyId, measure)
  let previous: { round: ScoreRound; k: number; n: number } | null = null
  return rounds.map((round) => {
    const mapped =
      measure.kind === 'item' ? itemsForEdition(measure.item.id, measure.item.edition, round.edition) : null
    const f = figure(counts.get(round.id) ?? emptyCounts, thresholdsOf(round))
    let change: TrendChange | null = null
    if (f.n > 0 && previous) {
      const c = judgeChange({ successes: previous.k, n: previous.n }, { successes: f.k, n: f.n })
      change = { verdict: c.verdict, difference: c.difference, lower: c.lower, upper: c.upper, against: previous.round }
    }
    if (f.n > 0) previous = { round, k: f.k, n: f.n }
    return {
      round,
      figure: f,
      measured: mapped ? mapped.ids.length > 0 : true,
      match: mapped ? mapped.match : null,
      countedItems: mapped && mapped.match !== 'same' ? mapped.ids : [],
      notes: mapped ? mapped.notes : [],
      change,
    }
  })
}
