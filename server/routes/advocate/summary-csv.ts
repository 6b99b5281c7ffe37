// The partnership board's annual summary as CSV: one row per heading of each breakdown, with the
// observations under it by overall rating. The same figures as the printable page.
import { csvLines } from '../../csv.ts'
import type { ThemeFigures, Tally } from '../../services/advocate/themes.ts'

export const summaryCsvHeader = [
  'Financial year',
  'Breakdown',
  'Heading',
  'Observations',
  'Good',
  'Requires improvement',
  'Inadequate',
  'Recurring issue',
] as const

export function summaryCsv(fy: { label: string }, f: ThemeFigures): string {
  const recurring = new Set(f.recurring.map((t) => t.key))
  const row = (breakdown: string, t: Tally, flag = '') =>
    [fy.label, breakdown, t.label, t.total, t.good, t.requiresImprovement, t.inadequate, flag] as const
  return csvLines([
    summaryCsvHeader,
    row('All', f.overall),
    ...f.byTheme.map((t) => row('Theme', t, recurring.has(t.key) ? 'yes' : 'no')),
    ...f.byRight.map((t) => row('Right', t)),
    ...f.byService.map((t) => row('Service', t)),
    ...f.byKind.map((t) => row('Kind', t)),
    ...f.bySetting.map((t) => row('Setting', t)),
    ...f.quarters.map((q) => row('Quarter', q.overall)),
  ])
}
