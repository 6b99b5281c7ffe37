// Reads the GOV.UK date input (day, month and year typed into three fields) into an ISO date,
// with the Design System's error wording. A partly typed date is told apart from a wrong one,
// so autosave can wait for the rest of it instead of shouting at someone halfway through.
import { isIsoDate } from './calendar.ts'

export interface DateParts {
  day: string
  month: string
  year: string
}

export type DateReading =
  | { kind: 'empty' }
  /** Some of the three fields are still blank. */
  | { kind: 'incomplete'; message: string }
  | { kind: 'invalid'; message: string }
  | { kind: 'date'; iso: string }

export const emptyDate: DateParts = Object.freeze({ day: '', month: '', year: '' })

const partNames = ['day', 'month', 'year'] as const

function joinNames(names: string[]): string {
  return names.length === 1
    ? (names[0] as string)
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] as string}`
}

/**
 * The date the three fields hold. `label` starts each message ("Date of arrest must include a
 * year"), so it should read as the question's subject.
 */
export function readDateParts(parts: DateParts, label: string): DateReading {
  const day = parts.day.trim()
  const month = parts.month.trim()
  const year = parts.year.trim()
  const missing = partNames.filter((_, i) => [day, month, year][i] === '')
  if (missing.length === 3) return { kind: 'empty' }
  if (missing.length > 0) return { kind: 'incomplete', message: `${label} must include a ${joinNames(missing)}` }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d+$/.test(year)) {
    return { kind: 'invalid', message: `${label} must be a real date` }
  }
  if (year.length !== 4) return { kind: 'invalid', message: 'Year must include 4 numbers' }
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
  if (!isIsoDate(iso)) return { kind: 'invalid', message: `${label} must be a real date` }
  return { kind: 'date', iso }
}

/** The three fields for a stored date, written as people type them (no leading zeros). */
export function datePartsOf(iso: string | null | undefined): DateParts {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null
  if (!m) return { ...emptyDate }
  return { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] as string }
}
