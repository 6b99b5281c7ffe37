// The case facts as a form: field values (strings, as typed) to and from CaseFacts. Event rows
// are numbered as they appear on the page; their numbers only need to hold for one submission.
import {
  caseFactsSchema,
  eventTypeKeys,
  eventTypes,
  mentalHealthDisposals,
  offenceGroupKeys,
  seriousOffences,
  victimCharacteristicKeys,
  victimTypes,
} from '../../../audits/case-facts.ts'
import type { CaseEvent, CaseFacts, EventType, OffenceGroup, VictimCharacteristic } from '../../../audits/case-facts.ts'
import { datePartsOf, emptyDate, readDateParts } from '../../../audits/date-input.ts'
import type { DateParts } from '../../../audits/date-input.ts'
import { noErrors, type FormErrors } from '../../forms.ts'
import { addError, field, type Body } from '../../forms.ts'

/**
 * Yes/no/not known questions: the victim characteristics, the agency's enhanced flag, whether the
 * CPS treated it as a specified case, and whether the offence is a specified one.
 */
export const flagKeys = [
  ...victimCharacteristicKeys,
  'recordedEnhanced',
  'cpsSpecifiedCase',
  'specifiedOffence',
] as const
export type FlagKey = VictimCharacteristic | 'recordedEnhanced' | 'cpsSpecifiedCase' | 'specifiedOffence'
export type FlagValue = 'yes' | 'no' | 'unknown'

/** One-of-a-list questions; '' is "Not known" where the list allows it. */
export const choiceFields = {
  victimType: {
    label: 'Who is the victim',
    hint: 'Businesses have their own entitlements and no enhanced tier',
    options: victimTypes,
    unknown: false,
  },
  ageUnclear: {
    label: "Was the victim's age unclear to the agency",
    hint: 'Where the age is unclear, the Code presumes the victim is under 18',
    options: { no: 'No', yes: 'Yes' },
    unknown: false,
  },
  seriousOffence: {
    label: 'Offence making them a victim of the most serious crime',
    hint: 'Sexual offences, domestic abuse, hate crime and bereavement are asked separately',
    options: seriousOffences,
    unknown: true,
  },
  mentalHealthDisposal: {
    label: 'Mental Health Act disposal',
    hint: 'A hospital order brings the victim into the Victim Contact Scheme under both Codes; other Mental Health Act orders under the 2020 Code',
    options: mentalHealthDisposals,
    unknown: true,
  },
} as const
export type ChoiceKey = keyof typeof choiceFields
export const choiceKeys = Object.keys(choiceFields) as ChoiceKey[]

function choicesOf(facts: CaseFacts): Record<ChoiceKey, string> {
  return {
    victimType: facts.victimType,
    ageUnclear: facts.ageUnclear ? 'yes' : 'no',
    seriousOffence: facts.seriousOffence ?? '',
    mentalHealthDisposal: facts.mentalHealthDisposal ?? '',
  }
}

export interface EventRowValues {
  index: number
  type: string
  date: DateParts
  agency: string
  remove: boolean
  /**
   * An event already on record, shown as text with its agency still editable: correcting one
   * means removing it and entering the right one (its obligations change either way), which also
   * keeps a long case's table short and quick to tab through.
   */
  fixed: boolean
}

export interface FactsValues {
  reportedOn: DateParts
  offenceGroup: string
  flags: Record<FlagKey, string>
  choices: Record<ChoiceKey, string>
  sentenceMonths: string
  events: EventRowValues[]
  /** Obligation keys whose answers the auditor agreed may be deleted (comma separated). */
  confirmRemoval: string
}

/** Blank rows offered for new events each time the page is shown (no script needed to add one). */
export const BLANK_EVENT_ROWS = 3
const MAX_EVENT_ROWS = 500

function flagValue(v: boolean | null): FlagValue {
  return v === null ? 'unknown' : v ? 'yes' : 'no'
}

export function blankEventRow(index: number): EventRowValues {
  return { index, type: '', date: { ...emptyDate }, agency: '', remove: false, fixed: false }
}

/** Form values showing saved (or pre-filled) facts, with blank rows to add events. */
export function factsValuesOf(facts: CaseFacts): FactsValues {
  const flags = Object.fromEntries(flagKeys.map((k) => [k, flagValue(facts[k])])) as Record<FlagKey, string>
  const events = facts.events.map((e, index) => ({
    index,
    type: e.type,
    date: datePartsOf(e.date),
    agency: e.agency ?? '',
    remove: false,
    fixed: true,
  }))
  return {
    reportedOn: datePartsOf(facts.reportedOn),
    offenceGroup: facts.offenceGroup,
    flags,
    choices: choicesOf(facts),
    sentenceMonths: facts.sentenceMonths === null ? '' : String(facts.sentenceMonths),
    events: withBlankRows(events),
    confirmRemoval: '',
  }
}

export function withBlankRows(rows: EventRowValues[]): EventRowValues[] {
  const next = rows.reduce((max, r) => Math.max(max, r.index + 1), 0)
  return [...rows, ...Array.from({ length: BLANK_EVENT_ROWS }, (_, i) => blankEventRow(next + i))]
}

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
        date: iso
          ? datePartsOf(iso)
          : {
              day: field(body, `events-${index}-date-day`),
              month: field(body, `events-${index}-date-month`),
              year: field(body, `events-${index}-date-year`),
            },
        agency: field(body, `events-${index}-agency`),
        remove: field(body, `events-${index}-remove`) === 'yes',
        fixed: field(body, `events-${index}-fixed`) === 'yes' && iso !== '',
      }
    })
  return {
    reportedOn: {
      day: field(body, 'reportedOn-day'),
      month: field(body, 'reportedOn-month'),
      year: field(body, 'reportedOn-year'),
    },
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

function isBlankRow(row: EventRowValues): boolean {
  return row.type.trim() === '' && row.agency.trim() === '' && readDateParts(row.date, '').kind === 'empty'
}

/** Whether the page still has a blank row for the next event (else autosave adds one). */
export function hasBlankRow(rows: EventRowValues[]): boolean {
  return rows.some((r) => !r.remove && isBlankRow(r))
}

export interface FactsCheckOptions {
  mode: 'save' | 'autosave'
  today: string
  /** Names the responsible-agency list offers; anything else is refused. */
  agencyNames: ReadonlySet<string>
}

export type FactsCheck = { ok: true; facts: CaseFacts; incompleteRows: number[] } | { ok: false; errors: FormErrors }

function isEventType(v: string): v is EventType {
  return (eventTypeKeys as readonly string[]).includes(v)
}

function isOffenceGroup(v: string): v is OffenceGroup {
  return (offenceGroupKeys as readonly string[]).includes(v)
}

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

/** Population flags are 1, 0 or null (not known). */
function flagFromImport(v: number | null): boolean | null {
  return v === null ? null : v !== 0
}

export interface PopulationFacts {
  reportedOn: string
  offenceGroup: string
  under18: number | null
  vulnerable: number | null
  intimidated: number | null
  persistentlyTargeted: number | null
  bereaved: number | null
  domesticAbuse: number | null
  hateCrime: number | null
  events: string | null
}

function importedEvents(json: string | null): Array<{ type: string; date: string; agency?: string }> {
  if (!json) return []
  try {
    const parsed: unknown = JSON.parse(json)
    if (!Array.isArray(parsed)) return []
    return parsed.filter(
      (e): e is { type: string; date: string; agency?: string } =>
        !!e && typeof e === 'object' && typeof e.type === 'string' && typeof e.date === 'string',
    )
  } catch {
    return []
  }
}

/**
 * The facts form pre-filled from the import, before the auditor has saved anything. Whatever the
 * import got wrong shows as a gap for the auditor to fill, never as an error page.
 */
export function factsValuesFromImport(pc: PopulationFacts, agencyName: (ref: string) => string): FactsValues {
  const flags = Object.fromEntries(
    flagKeys.map((k) => [
      k,
      k === 'specifiedOffence' || k === 'recordedEnhanced' || k === 'cpsSpecifiedCase'
        ? 'unknown'
        : flagValue(flagFromImport(pc[k])),
    ]),
  ) as Record<FlagKey, string>
  const rows = importedEvents(pc.events).map((e, index) => {
    const date = datePartsOf(e.date)
    const type = isEventType(e.type) ? e.type : ''
    // Only what reads cleanly is shown as on record; anything else is left for the auditor to fix.
    const fixed = type !== '' && readDateParts(date, '').kind === 'date'
    return { index, type, date, agency: typeof e.agency === 'string' ? agencyName(e.agency) : '', remove: false, fixed }
  })
  return {
    reportedOn: datePartsOf(pc.reportedOn),
    offenceGroup: isOffenceGroup(pc.offenceGroup) ? pc.offenceGroup : '',
    flags,
    choices: { victimType: 'individual', ageUnclear: 'no', seriousOffence: '', mentalHealthDisposal: '' },
    sentenceMonths: '',
    events: withBlankRows(rows),
    confirmRemoval: '',
  }
}

/** The confirmed keys, as a set. */
export function confirmedRemovals(values: FactsValues): Set<string> {
  return new Set(
    values.confirmRemoval
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k !== ''),
  )
}
