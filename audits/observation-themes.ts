// The rules behind the Victims' Advocate's themes page and annual summary: what counts as a poor
// rating, when poor ratings under one theme make a recurring issue, and the reporting periods.
// The counting itself is done in SQL; these decide what the counts mean.
import { MONTHS } from './calendar.ts'
import type { ObservationRating } from './vocabulary.ts'

/** Ratings that count against a theme: anything short of good. */
export const poorRatings: readonly ObservationRating[] = ['requires_improvement', 'inadequate']

export function isPoor(rating: ObservationRating): boolean {
  return poorRatings.includes(rating)
}

/**
 * A theme is a recurring issue when at least this many observations touching it were rated
 * poorly (requires improvement or inadequate), whichever services they were of.
 */
export const RECURRING_MIN = 3

export interface ThemeTally {
  /** Observations touching the theme, in the period. */
  total: number
  /** Of those, the ones rated requires improvement or inadequate. */
  poor: number
}

/** The recurring issues among per-theme tallies, most poorly rated first. */
export function recurringIssues<T extends ThemeTally>(tallies: readonly T[]): T[] {
  return tallies.filter((t) => t.poor >= RECURRING_MIN).sort((a, b) => b.poor - a.poor)
}

/**
 * The partnership reports by financial year, April to March: `year` is the year it starts in,
 * so 2025 is April 2025 to March 2026, shown as "2025/26".
 */
export function financialYear(year: number): { from: string; to: string; label: string } {
  return {
    from: `${year}-04-01`,
    to: `${year + 1}-03-31`,
    label: `${year}/${String((year + 1) % 100).padStart(2, '0')}`,
  }
}

/** The financial year an ISO date falls in (the year it starts in). */
export function financialYearOf(iso: string): number {
  const year = Number(iso.slice(0, 4))
  return Number(iso.slice(5, 7)) >= 4 ? year : year - 1
}

/** "2025-Q2" (calendar quarters, as SQL groups them) as "April to June 2025". */
export function quarterLabel(key: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(key)
  if (!m) return key
  const q = Number(m[2])
  return `${MONTHS[(q - 1) * 3]} to ${MONTHS[(q - 1) * 3 + 2]} ${m[1]}`
}
