// Checking the case facts form: every rule a saved set of facts must meet, with GOV.UK error
// messages, and in autosave the rows still being typed left out rather than refused.
import { caseFactsSchema, eventTypes } from '../../../audits/case-facts.ts'
import type { CaseEvent, CaseFacts, EventType } from '../../../audits/case-facts.ts'
import { readDateParts } from '../../../audits/date-input.ts'
import { addError, noErrors, type FormErrors } from '../../forms.ts'
import {
  choiceFields,
  choiceKeys,
  flagKeys,
  isBlankRow,
  isEventType,
  isOffenceGroup,
  type ChoiceKey,
  type FactsValues,
  type FlagKey,
} from './facts-form.ts'

export interface FactsCheckOptions {
  mode: 'save' | 'autosave'
  today: string
  /** Names the responsible-agency list offers; anything else is refused. */
  agencyNames: ReadonlySet<string>
}

export type FactsCheck = { ok: true; facts: CaseFacts; incompleteRows: number[] } | { ok: false; errors: FormErrors }

/**
 * Checks the facts form. In autosave mode an event row that is only partly filled in is left out
 * (and reported in `incompleteRows`) rather than refused: the auditor is still typing it.
 */
export function checkFacts(values: FactsValues, opts: FactsCheckOptions): FactsCheck {
  const errors = noErrors()

  let reportedOn = ''
  const reported = readDateParts(values.reportedOn, 'The date the crime was reported')
  if (reported.kind === 'empty')
    addError(errors, 'reportedOn', 'Enter the date the crime was reported', 'reportedOn-day')
  else if (reported.kind !== 'date') addError(errors, 'reportedOn', reported.message, 'reportedOn-day')
  else if (reported.iso > opts.today)
    addError(errors, 'reportedOn', 'The date the crime was reported must be today or in the past', 'reportedOn-day')
  else if (reported.iso < '2000-01-01')
    addError(errors, 'reportedOn', 'The date the crime was reported must be in 2000 or later', 'reportedOn-day')
  else reportedOn = reported.iso

  const offenceGroup = values.offenceGroup.trim()
  if (!isOffenceGroup(offenceGroup)) addError(errors, 'offenceGroup', 'Select the offence group')

  const flags: Partial<Record<FlagKey, boolean | null>> = {}
  for (const key of flagKeys) {
    const v = values.flags[key].trim()
    if (v === 'yes') flags[key] = true
    else if (v === 'no') flags[key] = false
    else if (v === '' || v === 'unknown') flags[key] = null
    else addError(errors, key, 'Select yes, no or not known')
  }

  const choices: Partial<Record<ChoiceKey, string | null>> = {}
  for (const key of choiceKeys) {
    const spec = choiceFields[key]
    const v = (values.choices[key] ?? '').trim()
    if (v === '' && spec.unknown) choices[key] = null
    // A form from before these questions, or a page without them, keeps the defaults.
    else if (v === '') continue
    else if (v in spec.options) choices[key] = v
    else addError(errors, key, `Select ${spec.label.toLowerCase()} from the list`)
  }
  if (choices.ageUnclear === 'yes' && flags.under18 === false) {
    addError(
      errors,
      'ageUnclear',
      'You said the victim was not under 18: an unclear age cannot go with that',
      'ageUnclear',
    )
  }

  let sentenceMonths: number | null = null
  const sentence = values.sentenceMonths.trim()
  if (sentence !== '') {
    if (/^\d{1,4}$/.test(sentence) && Number(sentence) <= 1200) sentenceMonths = Number(sentence)
    else
      addError(
        errors,
        'sentenceMonths',
        'Enter the sentence as a whole number of months, up to 1,200, or leave it blank',
      )
  }

  const events: CaseEvent[] = []
  const incompleteRows: number[] = []
  const onceSeen = new Map<EventType, number>()
  for (const row of values.events) {
    if (row.remove || isBlankRow(row)) continue
    const n = row.index + 1
    const name = `events-${row.index}`
    const type = row.type.trim()
    const date = readDateParts(row.date, `The date of event ${n}`)
    const agency = row.agency.trim()
    if (type !== '' && !isEventType(type)) {
      addError(errors, name, `Select what happened in event ${n} from the list`, `${name}-type`)
      continue
    }
    if (agency !== '' && !opts.agencyNames.has(agency)) {
      addError(errors, name, `Select the responsible agency for event ${n} from the list`, `${name}-agency`)
      continue
    }
    if (date.kind === 'invalid') {
      addError(errors, name, date.message, `${name}-date-day`)
      continue
    }
    const incomplete = type === '' || date.kind !== 'date'
    if (incomplete) {
      if (opts.mode === 'autosave') {
        incompleteRows.push(row.index)
      } else if (type === '') {
        addError(errors, name, `Select what happened in event ${n}`, `${name}-type`)
      } else {
        addError(
          errors,
          name,
          date.kind === 'incomplete' ? date.message : `Enter the date of event ${n}`,
          `${name}-date-day`,
        )
      }
      continue
    }
    if (date.kind !== 'date' || !isEventType(type)) continue
    if (date.iso > opts.today) {
      addError(errors, name, `The date of event ${n} must be today or in the past`, `${name}-date-day`)
      continue
    }
    if (date.iso < '2000-01-01') {
      addError(errors, name, `The date of event ${n} must be in 2000 or later`, `${name}-date-day`)
      continue
    }
    const earlier = onceSeen.get(type)
    if (!eventTypes[type].repeatable && earlier !== undefined) {
      addError(
        errors,
        name,
        `${eventTypes[type].label} can only happen once: it is already event ${earlier}`,
        `${name}-type`,
      )
      continue
    }
    onceSeen.set(type, n)
    events.push(agency === '' ? { type, date: date.iso } : { type, date: date.iso, agency })
  }

  if (errors.summary.length > 0) return { ok: false, errors }
  // The domain schema has the last word, so nothing the core would reject is ever stored.
  const { ageUnclear, ...picked } = choices
  const parsed = caseFactsSchema.safeParse({
    reportedOn,
    offenceGroup,
    ...flags,
    ...picked,
    ...(ageUnclear === undefined ? {} : { ageUnclear: ageUnclear === 'yes' }),
    sentenceMonths,
    events,
  })
  if (!parsed.success) {
    addError(
      errors,
      'facts',
      `The case facts could not be read: ${parsed.error.issues[0]?.message ?? 'check them'}`,
      'facts',
    )
    return { ok: false, errors }
  }
  return { ok: true, facts: parsed.data, incompleteRows }
}
