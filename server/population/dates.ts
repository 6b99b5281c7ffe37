// Case dates as day numbers, checked by hand: a million-row import reads several million dates,
// and a regex plus a Date object per date would take most of its time budget. The rules are the
// case-facts schema's (a real calendar date, YYYY-MM-DD, in the years 2000–2099), and the
// messages are the same words an auditor sees there.

export const FIRST_YEAR = 2000
export const LAST_YEAR = 2099

export const dateMessages = {
  notADate: 'Enter a real date as YYYY-MM-DD',
  outOfRange: 'Date must be between 2000 and 2099',
} as const

const MS_PER_DAY = 86_400_000
const EPOCH_DAY = Date.UTC(FIRST_YEAR, 0, 1) / MS_PER_DAY
const daysBeforeMonth = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
}

function digit(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48
  return c >= 0 && c <= 9 ? c : -100_000
}

export const NOT_A_DATE = -1
export const OUT_OF_RANGE = -2

/**
 * Days since 1970-01-01 (UTC) of the date written in text[s, e), or NOT_A_DATE when it is not
 * a real YYYY-MM-DD date, or OUT_OF_RANGE for a real date outside 2000–2099. Reads the
 * characters in place, so a cell of a file needs no string of its own.
 */
export function daySpan(text: string, s: number, e: number): number {
  if (e - s !== 10 || text.charCodeAt(s + 4) !== 45 || text.charCodeAt(s + 7) !== 45) return NOT_A_DATE
  const y = digit(text, s) * 1000 + digit(text, s + 1) * 100 + digit(text, s + 2) * 10 + digit(text, s + 3)
  const m = digit(text, s + 5) * 10 + digit(text, s + 6)
  const d = digit(text, s + 8) * 10 + digit(text, s + 9)
  if (y < 0 || m < 1 || m > 12 || d < 1) return NOT_A_DATE
  const leap = isLeap(y)
  const monthDays = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31
  if (d > monthDays) return NOT_A_DATE
  if (y < FIRST_YEAR || y > LAST_YEAR) return OUT_OF_RANGE
  const years = y - FIRST_YEAR
  // 2000 is a leap year and 2100 is out of range, so every fourth year from 2000 is one.
  return (
    EPOCH_DAY +
    years * 365 +
    Math.ceil(years / 4) +
    (daysBeforeMonth[m - 1] as number) +
    (m > 2 && leap ? 1 : 0) +
    d -
    1
  )
}

/** daySpan of a whole string. */
export function parseCaseDay(s: string): number {
  return daySpan(s, 0, s.length)
}

const isoCache: string[] = []

/** The ISO text of a day number from parseCaseDay (cached: a population spans few days). */
export function isoOfDay(day: number): string {
  const i = day - EPOCH_DAY
  let s = isoCache[i]
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
    isoCache[i] = s
  }
  return s
}
