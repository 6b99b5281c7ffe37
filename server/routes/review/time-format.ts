// Times shown for saves, worded as the shared view helpers word them ("14:03", "3 March 2025 at
// 14:03"), but with the formatters made once: a case page shows one per obligation, and building
// an Intl formatter per call was the largest cost of rendering it.
import { formatDate } from '../../view-helpers.ts'

const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' })
const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })

export function timeOf(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : clock.format(d)
}

export function dateTimeOf(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : `${formatDate(day.format(d))} at ${clock.format(d)}`
}
