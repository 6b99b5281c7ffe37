// Counts of the observations a user may read, by theme, Right, service, kind and rating, and by
// quarter for the trends: counted in SQL (themes and Rights through json_each), labelled here.
// The recurring-issue rule itself is audits/observation-themes.ts.
import { and, asc, eq, gte, inArray, isNotNull, lte, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../../schema/database.ts'
import { agencies, observations } from '../../../schema/index.ts'
import { rights2020 } from '../../../audits/frameworks/index.ts'
import { themes } from '../../../audits/frameworks/types.ts'
import { poorRatings, quarterLabel, recurringIssues } from '../../../audits/observation-themes.ts'
import {
  observationKindLabels,
  observationKinds,
  observationSettingLabels,
  observationSettings,
} from '../../../audits/vocabulary.ts'
import type { Scope } from '../../scope.ts'
import { visibleObservations } from './observations.ts'

/** Observations under one heading, by overall rating. */
export interface Tally {
  key: string
  label: string
  total: number
  good: number
  requiresImprovement: number
  inadequate: number
  /** Requires improvement or inadequate. */
  poor: number
}

export const trendDimensions = ['theme', 'right', 'service'] as const
export type TrendDimension = (typeof trendDimensions)[number]

export interface Period {
  from: string | null
  to: string | null
}

export interface ThemeFigures {
  overall: Tally
  byTheme: Tally[]
  byRight: Tally[]
  byService: (Tally & { agencyId: number })[]
  byKind: Tally[]
  bySetting: Tally[]
  /** The trend's columns: the themes, the Rights or the services observed. */
  trendBy: TrendDimension
  trendHeadings: { key: string; label: string }[]
  /** Quarters with any observation, oldest first, with the counts under each trend column. */
  quarters: { key: string; label: string; overall: Tally; cells: Record<string, Tally> }[]
  /** Themes rated poorly in RECURRING_MIN or more observations, most first. */
  recurring: Tally[]
}

const rating = observations.rating
const tallyColumns = {
  total: sql<number>`count(*)`,
  good: sql<number>`coalesce(sum(${rating} = 'good'), 0)`,
  requiresImprovement: sql<number>`coalesce(sum(${rating} = 'requires_improvement'), 0)`,
  inadequate: sql<number>`coalesce(sum(${rating} = 'inadequate'), 0)`,
  poor: sql<number>`coalesce(sum(${inArray(rating, [...poorRatings])}), 0)`,
}
const QUARTER = sql<string>`substr(${observations.observedOn}, 1, 4) || '-Q' ||
  ((CAST(substr(${observations.observedOn}, 6, 2) AS INTEGER) + 2) / 3)`
// Each observation once per theme (or Right) it names: json_each as a joined table.
const eachTheme = sql`json_each(${observations.themes}) t`
const eachRight = sql`json_each(${observations.rights}) t`
const listed = sql<string>`CAST(t.value AS TEXT)`

type Counts = Omit<Tally, 'label'>

function zero(key: string, label: string): Tally {
  return { key, label, total: 0, good: 0, requiresImprovement: 0, inadequate: 0, poor: 0 }
}

/** Every heading in a list, in its order, with the counts SQL found for it (zero where none). */
function fill(list: readonly { key: string; label: string }[], rows: readonly Counts[]): Tally[] {
  const by = new Map(rows.map((r) => [String(r.key), r]))
  return list.map((h) => ({ ...zero(h.key, h.label), ...by.get(h.key), key: h.key, label: h.label }))
}

export const themeHeadings = themes.map((t) => ({ key: t.id as string, label: t.name }))
export const rightHeadings = rights2020.map((name, i) => ({ key: String(i + 1), label: `Right ${i + 1}: ${name}` }))
const kindHeadings = observationKinds.map((k) => ({ key: k as string, label: observationKindLabels[k] }))
const settingHeadings = observationSettings.map((s) => ({ key: s as string, label: observationSettingLabels[s] }))

export function themeName(id: string): string {
  return themes.find((t) => t.id === id)?.name ?? id
}

/**
 * The counts for a period. `sharedOnly` leaves out the advocate's unshared observations, for the
 * partnership board's summary, which counts what the board itself can read.
 */
export function themeFigures(
  db: Db,
  scope: Scope,
  period: Period,
  { sharedOnly = false, trendBy = 'theme' as TrendDimension } = {},
): ThemeFigures {
  const where = and(
    visibleObservations(scope),
    sharedOnly ? isNotNull(observations.sharedAt) : undefined,
    period.from ? gte(observations.observedOn, period.from) : undefined,
    period.to ? lte(observations.observedOn, period.to) : undefined,
  )
  const overall = db.select(tallyColumns).from(observations).where(where).get()
  /** Counts under each value of `key`, over each observation, or each of its themes or Rights (`each`). */
  const grouped = (key: SQL<string>, each?: SQL): Counts[] => {
    const from = db.select({ key, ...tallyColumns }).from(observations)
    return (each ? from.crossJoin(each) : from).where(where).groupBy(key).all()
  }
  const byTheme = fill(themeHeadings, grouped(listed, eachTheme))
  const services = db
    .select({
      key: sql<string>`CAST(${agencies.id} AS TEXT)`,
      label: agencies.name,
      agencyId: agencies.id,
      ...tallyColumns,
    })
    .from(observations)
    .innerJoin(agencies, eq(agencies.id, observations.agencyId))
    .where(where)
    .groupBy(agencies.id)
    .orderBy(asc(agencies.name))
    .all()
  const quarterRows = db
    .select({ key: QUARTER, ...tallyColumns })
    .from(observations)
    .where(where)
    .groupBy(QUARTER)
    .orderBy(QUARTER)
    .all()
  const trendKey = {
    theme: { key: listed, each: eachTheme, headings: themeHeadings },
    right: { key: listed, each: eachRight, headings: rightHeadings },
    service: { key: sql<string>`CAST(${observations.agencyId} AS TEXT)`, each: undefined, headings: services },
  }[trendBy]
  const trendFrom = db.select({ quarter: QUARTER, key: trendKey.key, ...tallyColumns }).from(observations)
  const trendCells = (trendKey.each ? trendFrom.crossJoin(trendKey.each) : trendFrom)
    .where(where)
    .groupBy(QUARTER, trendKey.key)
    .all()
  const trendHeadings = trendKey.headings.map((h) => ({ key: h.key, label: h.label }))
  return {
    overall: { ...zero('all', 'All observations'), ...overall, key: 'all', label: 'All observations' },
    byTheme,
    byRight: fill(rightHeadings, grouped(listed, eachRight)),
    byService: services,
    byKind: fill(kindHeadings, grouped(sql<string>`${observations.kind}`)),
    bySetting: fill(settingHeadings, grouped(sql<string>`${observations.setting}`)),
    quarters: quarterRows.map((q) => ({
      key: q.key,
      label: quarterLabel(q.key),
      overall: { ...q, label: quarterLabel(q.key) },
      cells: Object.fromEntries(
        fill(
          trendHeadings,
          trendCells.filter((r) => r.quarter === q.key),
        ).map((t) => [t.key, t]),
      ),
    })),
    trendBy,
    trendHeadings,
    recurring: recurringIssues(byTheme),
  }
}
