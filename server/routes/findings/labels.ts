// Words for findings and actions on screen and in exports (kept beside the feature until the
// vocabulary moves to audits/ with the rest).
import {
  severities,
  type ActionStatus,
  type CarryVerdict,
  type FindingStatus,
  type Severity,
  type Timing,
} from '../../../audits/findings.ts'
import { plural } from '../../view-helpers.ts'

export const findingStatusLabels: Record<FindingStatus, string> = {
  proposed: 'Proposed',
  declined: 'Declined',
  draft: 'Draft',
  issued: 'Awaiting response',
  responded: 'Responded',
  accepted: 'Response accepted',
  closed: 'Closed',
}

export const findingStatusTags: Record<FindingStatus, string> = {
  proposed: 'govuk-tag--purple',
  declined: 'govuk-tag--grey',
  draft: 'govuk-tag--grey',
  issued: 'govuk-tag--yellow',
  responded: 'govuk-tag--blue',
  accepted: 'govuk-tag--turquoise',
  closed: 'govuk-tag--green',
}

export const severityLabels: Record<Severity, string> = { high: 'High', medium: 'Medium', low: 'Low' }

/** The severities as radio options, for the new-finding and proposal forms. */
export const severityOptions = severities.map((s) => ({ value: s, text: severityLabels[s] }))

/** A round's items as checkbox options, each named by its number and title. */
export function itemOptions(items: readonly { id: string; title: string }[]) {
  return items.map((i) => ({ value: i.id, text: `${i.id} ${i.title}` }))
}

export const actionStatusLabels: Record<ActionStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  closed: 'Closed',
}

export const verdictLabels: Record<CarryVerdict, string> = {
  improved: 'Improved',
  worsened: 'Worsened',
  'no clear change': 'No clear change',
  'not measured': 'Not measured',
}

/** "Overdue by 3 working days", "Due in 5 days", "Due today", or '' when nothing to flag. */
export function timingText(t: Timing): string {
  if (t.state === 'overdue') return `Overdue by ${plural(t.workingDaysOverdue, 'working day')}`
  if (t.state === 'due_soon') return t.daysLeft === 0 ? 'Due today' : `Due in ${plural(t.daysLeft, 'day')}`
  return ''
}

export const findingWords = {
  findingStatusLabels,
  findingStatusTags,
  severityLabels,
  actionStatusLabels,
  verdictLabels,
  timingText,
}
