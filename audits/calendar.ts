// England and Wales bank holidays and working-day arithmetic on ISO dates (YYYY-MM-DD).
// Dates are handled as whole UTC day numbers so that no local time zone or daylight-saving
// change can shift a date by one.

const MS_PER_DAY = 86_400_000
const FIRST_YEAR = 2000
const LAST_YEAR = 2100
const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

/** Month names as England and Wales write dates ("3 March 2025"). */
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const

/** Days since 1970-01-01 for a date already known to be valid. */
function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY
}

function toIso(dayNum: number): string {
  return new Date(dayNum * MS_PER_DAY).toISOString().slice(0, 10)
}

/** Monday = 0 … Sunday = 6. Day 0 (1970-01-01) was a Thursday. */
function weekdayIndex(dayNum: number): number {
  return (((dayNum + 3) % 7) + 7) % 7
}

function parseParts(s: string): { year: number; month: number; day: number } | null {
  const match = ISO_PATTERN.exec(s)
  if (!match) return null
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  const date = new Date(Date.UTC(year, month - 1, day))
  // Date.UTC rolls impossible dates over (2023-02-29 becomes 1 March), so a round trip exposes them.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null
  }
  return { year, month, day }
}

/** True for a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(s: unknown): s is string {
  return typeof s === 'string' && parseParts(s) !== null
}

function parseIso(s: string, label: string): number {
  const parts = typeof s === 'string' ? parseParts(s) : null
  if (!parts) throw new RangeError(`${label}: ${JSON.stringify(s)} is not a valid date (expected YYYY-MM-DD)`)
  return dayNumber(parts.year, parts.month, parts.day)
}

// Holidays are only known for these years, so arithmetic outside them would silently be wrong.
function parseInRange(s: string, label: string): number {
  const dayNum = parseIso(s, label)
  const year = Number(s.slice(0, 4))
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    throw new RangeError(`${label}: ${s} is outside the supported years ${FIRST_YEAR}–${LAST_YEAR}`)
  }
  return dayNum
}

/** Easter Sunday (anonymous Gregorian algorithm) as a day number. */
function easterSunday(year: number): number {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return dayNumber(year, month, day)
}

function firstMonday(year: number, month: number): number {
  const first = dayNumber(year, month, 1)
  return first + ((7 - weekdayIndex(first)) % 7)
}

function lastMonday(year: number, month: number): number {
  const last = dayNumber(year, month + 1, 0)
  return last - weekdayIndex(last)
}

// Proclamations that moved or added holidays; `remove` names the date the rule would have given.
const ONE_OFF: Record<number, { remove?: string[]; add: string[] }> = {
  2002: { remove: ['2002-05-27'], add: ['2002-06-03', '2002-06-04'] }, // Golden Jubilee
  2011: { add: ['2011-04-29'] }, // royal wedding
  2012: { remove: ['2012-05-28'], add: ['2012-06-04', '2012-06-05'] }, // Diamond Jubilee
  2020: { remove: ['2020-05-04'], add: ['2020-05-08'] }, // VE Day 75th anniversary
  2022: { remove: ['2022-05-30'], add: ['2022-06-02', '2022-06-03', '2022-09-19'] }, // Platinum Jubilee; state funeral
  2023: { add: ['2023-05-08'] }, // coronation
}

interface YearHolidays {
  readonly iso: readonly string[]
  readonly days: ReadonlySet<number>
  readonly sorted: readonly number[]
}

const cache = new Map<number, YearHolidays>()

function holidaysFor(year: number): YearHolidays {
  const cached = cache.get(year)
  if (cached) return cached

  const easter = easterSunday(year)
  const days = new Set<number>([easter - 2, easter + 1, firstMonday(year, 5), lastMonday(year, 5), lastMonday(year, 8)])
  // New Year's Day, Christmas and Boxing Day move to the next free weekday when they fall on a
  // weekend; processing them in date order makes Boxing Day step past a substituted Christmas.
  for (const fixed of [dayNumber(year, 1, 1), dayNumber(year, 12, 25), dayNumber(year, 12, 26)]) {
    let d = fixed
    while (weekdayIndex(d) >= 5 || days.has(d)) d += 1
    days.add(d)
  }
  const change = ONE_OFF[year]
  if (change) {
    for (const iso of change.remove ?? []) days.delete(parseIso(iso, 'one-off holiday'))
    for (const iso of change.add) days.add(parseIso(iso, 'one-off holiday'))
  }
  const sorted = [...days].sort((x, y) => x - y)
  const entry: YearHolidays = { iso: sorted.map(toIso), days, sorted }
  cache.set(year, entry)
  return entry
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
    throw new RangeError(`bankHolidays: year ${String(year)} is outside the supported years ${FIRST_YEAR}–${LAST_YEAR}`)
  }
}

/** The year's England and Wales bank holidays, sorted. */
export function bankHolidays(year: number): string[] {
  checkYear(year)
  return [...holidaysFor(year).iso]
}

function yearOf(dayNum: number): number {
  return new Date(dayNum * MS_PER_DAY).getUTCFullYear()
}

function isWorkingDayNum(dayNum: number): boolean {
  return weekdayIndex(dayNum) < 5 && !holidaysFor(yearOf(dayNum)).days.has(dayNum)
}

/** Monday to Friday and not a bank holiday. */
export function isWorkingDay(date: string): boolean {
  return isWorkingDayNum(parseInRange(date, 'isWorkingDay'))
}

/** Weekdays d with d ≤ dayNum, counted from the Monday 1969-12-29 (a fixed origin). */
function weekdaysThrough(dayNum: number): number {
  const sinceMonday = dayNum + 3
  const weeks = Math.floor((sinceMonday + 1) / 7)
  return weeks * 5 + Math.min((sinceMonday + 1) % 7, 5)
}

/** Bank holidays h with a < h ≤ b (a ≤ b); every holiday is a weekday, so no double counting. */
function holidaysBetween(a: number, b: number): number {
  let count = 0
  for (let year = yearOf(a); year <= yearOf(b); year++) {
    for (const h of holidaysFor(year).sorted) if (h > a && h <= b) count++
  }
  return count
}

function workingDaysAfter(a: number, b: number): number {
  return weekdaysThrough(b) - weekdaysThrough(a) - holidaysBetween(a, b)
}

/**
 * Working days d with from < d ≤ to; when `to` is before `from`, minus the count the other way.
 * Weeks are counted arithmetically, so long spans cost only one pass over their holidays.
 */
export function workingDaysBetween(from: string, to: string): number {
  const a = parseInRange(from, 'workingDaysBetween')
  const b = parseInRange(to, 'workingDaysBetween')
  return a <= b ? workingDaysAfter(a, b) : -workingDaysAfter(b, a)
}

/** The k-th weekday (k ≥ 1) strictly after day `d`, ignoring holidays. */
function nthWeekdayAfter(d: number, k: number): number {
  const idx = weekdayIndex(d)
  // From a weekend the next weekdays are the same as from the Friday before it.
  const base = idx >= 5 ? d - (idx - 4) : d
  const baseIdx = Math.min(idx, 4)
  const position = baseIdx + k
  return base - baseIdx + Math.floor(position / 5) * 7 + (position % 5)
}

const LAST_DAY = dayNumber(LAST_YEAR, 12, 31)

/**
 * The days-th working day strictly after `from` (the due date for "within N working days");
 * `from` itself never counts. Zero days returns `from` unchanged.
 */
export function addWorkingDays(from: string, days: number): string {
  const start = parseInRange(from, 'addWorkingDays')
  if (typeof days !== 'number' || !Number.isSafeInteger(days) || days < 0) {
    throw new RangeError(`addWorkingDays: days must be a whole number of 0 or more, got ${String(days)}`)
  }
  let d = start
  let remaining = days
  // Jump by weekdays, then make up the holidays the jump crossed; holidays are sparse, so this
  // settles in a pass or two whatever the span.
  while (remaining > 0) {
    const next = nthWeekdayAfter(d, remaining)
    if (next > LAST_DAY) {
      throw new RangeError(`addWorkingDays: ${from} plus ${days} working days goes beyond ${LAST_YEAR}`)
    }
    remaining = holidaysBetween(d, next)
    d = next
  }
  return toIso(d)
}

/** "3 March 2025": day without a leading zero, English month name. */
export function formatDate(iso: string): string {
  parseIso(iso, 'formatDate')
  const month = MONTHS[Number(iso.slice(5, 7)) - 1] as string
  return `${Number(iso.slice(8, 10))} ${month} ${iso.slice(0, 4)}`
}

// The service runs in England and Wales, so "today" is the date on a London wall clock, not UTC
// (which would still be yesterday for the first hour of every summer day).
const londonDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** Today's date in England and Wales as YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new RangeError(`todayIso: ${String(now)} is not a valid date`)
  }
  const parts = Object.fromEntries(londonDate.formatToParts(now).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day}`
}

/** Negative, zero or positive as `a` is before, the same as or after `b`; for sorting. */
export function compareIso(a: string, b: string): number {
  const x = parseIso(a, 'compareIso')
  const y = parseIso(b, 'compareIso')
  return x < y ? -1 : x > y ? 1 : 0
}
