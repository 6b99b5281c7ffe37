// Counts of the observations a user may read, by theme, Right, service, kind and rating, and by
// quarter for the trends: counted in SQL (themes and Rights through json_each), labelled here.
// The recurring-issue rule itself is audits/observation-themes.ts.
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '../../../schema/database.ts'
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

const POOR = sql.join(
  poorRatings.map((r) => sql`${r}`),
  sql`, `,
)
const tallyColumns = sql`count(*) AS total, coalesce(sum(o.rating = 'good'), 0) AS good,
  coalesce(sum(o.rating = 'requires_improvement'), 0) AS requiresImprovement,
  coalesce(sum(o.rating = 'inadequate'), 0) AS inadequate, coalesce(sum(o.rating IN (${POOR})), 0) AS poor`
const QUARTER = sql`substr(o.observed_on, 1, 4) || '-Q' || ((CAST(substr(o.observed_on, 6, 2) AS INTEGER) + 2) / 3)`

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
  const where = sql.join(
    [
      visibleObservations(scope),
      ...(sharedOnly ? [sql`o.shared_at IS NOT NULL`] : []),
      ...(period.from ? [sql`o.observed_on >= ${period.from}`] : []),
      ...(period.to ? [sql`o.observed_on <= ${period.to}`] : []),
    ],
    sql` AND `,
  ) as SQL
  const overall = db.get<Counts>(sql`SELECT 'all' AS key, ${tallyColumns} FROM observations o WHERE ${where}`)
  const grouped = (key: SQL, from: SQL = sql``) =>
    db.all<Counts>(sql`SELECT ${key} AS key, ${tallyColumns} FROM observations o ${from} WHERE ${where} GROUP BY 1`)
  const byTheme = fill(themeHeadings, grouped(sql`t.value`, sql`, json_each(o.themes) t`))
  const services = db.all<Counts & { agencyId: number; label: string }>(sql`
    SELECT CAST(a.id AS TEXT) AS key, a.name AS label, a.id AS agencyId, ${tallyColumns}
    FROM observations o JOIN agencies a ON a.id = o.agency_id WHERE ${where} GROUP BY a.id ORDER BY a.name`)
  const quarterRows = db.all<Counts>(sql`SELECT ${QUARTER} AS key, ${tallyColumns} FROM observations o
    WHERE ${where} GROUP BY 1 ORDER BY 1`)
  const trendKey = {
    theme: { key: sql`t.value`, from: sql`, json_each(o.themes) t`, headings: themeHeadings },
    right: { key: sql`CAST(t.value AS TEXT)`, from: sql`, json_each(o.rights) t`, headings: rightHeadings },
    service: { key: sql`CAST(o.agency_id AS TEXT)`, from: sql``, headings: services },
  }[trendBy]
  const trendCells = db.all<Counts & { quarter: string }>(sql`SELECT ${QUARTER} AS quarter, ${trendKey.key} AS key,
    ${tallyColumns} FROM observations o ${trendKey.from} WHERE ${where} GROUP BY 1, 2`)
  const trendHeadings = trendKey.headings.map((h) => ({ key: h.key, label: h.label }))
  return {
    overall: { ...zero('all', 'All observations'), ...overall, key: 'all', label: 'All observations' },
    byTheme,
    byRight: fill(rightHeadings, grouped(sql`CAST(r.value AS TEXT)`, sql`, json_each(o.rights) r`)),
    byService: services,
    byKind: fill(kindHeadings, grouped(sql`o.kind`)),
    bySetting: fill(settingHeadings, grouped(sql`o.setting`)),
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
