// The case facts as a form: field values (strings, as typed) to and from CaseFacts. Event rows
// are numbered as they appear on the page; their numbers only need to hold for one submission.
import {
  eventTypeKeys,
  mentalHealthDisposals,
  offenceGroupKeys,
  seriousOffences,
  victimCharacteristicKeys,
  victimTypes,
} from '../../../audits/case-facts.ts'
import type { CaseFacts, EventType, OffenceGroup, VictimCharacteristic } from '../../../audits/case-facts.ts'
import { datePartsOf, emptyDate, readDateParts } from '../../../audits/date-input.ts'
import type { DateParts } from '../../../audits/date-input.ts'

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
    hint:
      'A hospital order brings the victim into the Victim Contact Scheme under both Codes; other Mental ' +
      'Health Act orders under the 2020 Code',
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
export const MAX_EVENT_ROWS = 500

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

export function isBlankRow(row: EventRowValues): boolean {
  return row.type.trim() === '' && row.agency.trim() === '' && readDateParts(row.date, '').kind === 'empty'
}

export function isEventType(v: string): v is EventType {
  return (eventTypeKeys as readonly string[]).includes(v)
}

export function isOffenceGroup(v: string): v is OffenceGroup {
  return (offenceGroupKeys as readonly string[]).includes(v)
}

/** Whether the page still has a blank row for the next event (else autosave adds one). */
export function hasBlankRow(rows: EventRowValues[]): boolean {
  return rows.some((r) => !r.remove && isBlankRow(r))
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
