// The case facts fields as a request carries them, read into the values services/review/facts-form
// checks. Event rows are numbered as they appear on the page.
import { datePartsOf } from '../../../audits/date-input.ts'
import { dateFields, field, type Body } from '../../forms.ts'
import {
  choiceKeys,
  flagKeys,
  MAX_EVENT_ROWS,
  type ChoiceKey,
  type FactsValues,
  type FlagKey,
} from '../../services/review/facts-form.ts'

/** The values as submitted, for checking and for showing again when something is wrong. */
export function readFactsValues(body: Body): FactsValues {
  const indices = new Set<number>()
  for (const name of Object.keys(body)) {
    const m = /^events-(\d{1,3})-/.exec(name)
    if (m) indices.add(Number(m[1]))
  }
  const events = [...indices]
    .sort((a, b) => a - b)
    .slice(0, MAX_EVENT_ROWS)
    .map((index) => {
      const iso = field(body, `events-${index}-date`)
      return {
        index,
        type: field(body, `events-${index}-type`),
        date: iso ? datePartsOf(iso) : dateFields(body, `events-${index}-date`),
        agency: field(body, `events-${index}-agency`),
        remove: field(body, `events-${index}-remove`) === 'yes',
        fixed: field(body, `events-${index}-fixed`) === 'yes' && iso !== '',
      }
    })
  return {
    reportedOn: dateFields(body, 'reportedOn'),
    offenceGroup: field(body, 'offenceGroup'),
    flags: Object.fromEntries(flagKeys.map((k) => [k, field(body, k)])) as Record<FlagKey, string>,
    choices: Object.fromEntries(choiceKeys.map((k) => [k, field(body, k)])) as Record<ChoiceKey, string>,
    sentenceMonths: field(body, 'sentenceMonths'),
    events,
    confirmRemoval: field(body, 'confirmRemoval'),
  }
}

/** True when the body carries the facts fields at all (the read-only page sends none). */
export function hasFactsFields(body: Body): boolean {
  return 'offenceGroup' in body || 'reportedOn-day' in body
}
