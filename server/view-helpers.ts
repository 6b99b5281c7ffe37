// Formatting shared by every template: dates as "3 March 2025", percentages with one decimal.
import { assetUrl } from './plugins/assets.ts'
import { stratumLabel } from './routes/rounds/labels.ts'
import { MONTHS } from '../audits/calendar.ts'
import { frameworkKindLabels, type FrameworkKind } from '../audits/vocabulary.ts'

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  if (!m) return iso
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`
}

// Made once: building an Intl formatter per call was the largest cost of rendering a long page.
const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })
const londonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })

/** "3 March 2025 at 14:03", London time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${formatDate(londonDay.format(d))} at ${clock.format(d)}`
}

/** "3 March 2025, 14:03", London time: the form for a column of times, as in the audit log. */
export function formatWhen(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${formatDate(londonDay.format(d))}, ${clock.format(d)}`
}

/** "14:03", London time. */
export function formatTime(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : clock.format(d)
}

/** A fraction 0–1 as "87.5%"; null (no estimate) as an en dash. */
export function pct(fraction: number | null | undefined): string {
  if (fraction == null || Number.isNaN(fraction)) return '–'
  return `${(fraction * 100).toFixed(1)}%`
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`
}

export function number(n: number): string {
  return n.toLocaleString('en-GB')
}

/** A district as people name it ("South Lakeland", not "south_lakeland"); unknown keys as imported. */
export function districtName(key: string | null | undefined): string {
  return key ? stratumLabel('district', key) : ''
}

/** What a round audits against, as its pages name it: "2020 Code", or "Commissioned services". */
export function auditedAgainst(round: { framework?: FrameworkKind; edition: string }): string {
  return round.framework === 'commissioned_services'
    ? frameworkKindLabels.commissioned_services
    : `${round.edition} Code`
}

/** Whether a round is a Victims' Code round (the Ministry of Justice measures and trends are the Code's). */
export function isCodeRound(round: { framework?: FrameworkKind }): boolean {
  return round.framework !== 'commissioned_services'
}

export const helpers = {
  auditedAgainst,
  isCodeRound,
  formatDate,
  formatDateTime,
  formatWhen,
  formatTime,
  pct,
  plural,
  number,
  districtName,
  asset: assetUrl,
}
export type Helpers = typeof helpers
