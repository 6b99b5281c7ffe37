// The facts of one case that decide which Code obligations applied and when they fell due.
// Keys are snake_case where they double as CSV column names in a population import.
import { z } from 'zod'
import { isIsoDate } from './calendar.ts'

export const offenceGroups = {
  violence: 'Violence against the person',
  sexual: 'Sexual offences',
  robbery: 'Robbery',
  theft: 'Theft (including burglary)',
  criminal_damage_arson: 'Criminal damage and arson',
  public_order: 'Public order',
  other: 'Other',
} as const
export type OffenceGroup = keyof typeof offenceGroups
export const offenceGroupKeys = Object.keys(offenceGroups) as [OffenceGroup, ...OffenceGroup[]]

/** Victim characteristics that bear on enhanced eligibility or consent; null means not known. */
export const victimCharacteristics = {
  under18: 'Under 18 at the time of the offence',
  vulnerable: 'Vulnerable',
  intimidated: 'Intimidated',
  persistentlyTargeted: 'Persistently targeted',
  bereaved: 'Bereaved close relative',
  domesticAbuse: 'Victim of domestic abuse',
  hateCrime: 'Hate crime',
} as const
export type VictimCharacteristic = keyof typeof victimCharacteristics
export const victimCharacteristicKeys = Object.keys(victimCharacteristics) as [
  VictimCharacteristic,
  ...VictimCharacteristic[],
]

/**
 * Offences that, besides sexual offences, domestic abuse, hate crime and bereavement, make a
 * victim of the most serious crime (reference §2, "Most serious crime" row [S1]).
 */
export const seriousOffences = {
  none: 'None of these',
  terrorism: 'Terrorism',
  trafficking: 'Human trafficking',
  attempted_murder: 'Attempted murder',
  kidnap_false_imprisonment: 'Kidnap or false imprisonment',
  arson_endanger_life: 'Arson with intent to endanger life',
  gbh_with_intent: 'Wounding or grievous bodily harm with intent',
} as const
export type SeriousOffence = keyof typeof seriousOffences
export const seriousOffenceKeys = Object.keys(seriousOffences) as [SeriousOffence, ...SeriousOffence[]]

/** Disposals under the Mental Health Act 1983 that lead into the Victim Contact Scheme. */
export const mentalHealthDisposals = {
  none: 'None',
  hospital_order: 'Hospital order',
  other_order: 'Other Mental Health Act order',
} as const
export type MentalHealthDisposal = keyof typeof mentalHealthDisposals
export const mentalHealthDisposalKeys = Object.keys(mentalHealthDisposals) as [
  MentalHealthDisposal,
  ...MentalHealthDisposal[],
]

export const victimTypes = { individual: 'A person', business: 'A business' } as const
export type VictimType = keyof typeof victimTypes

/** Facts about the case rather than the victim that decide whether some items apply. */
export const caseFlags = {
  cpsSpecifiedCase: 'A specified case for a CPS meeting offer',
} as const
export type CaseFlag = keyof typeof caseFlags
export const caseFlagKeys = Object.keys(caseFlags) as [CaseFlag, ...CaseFlag[]]

/**
 * Dated events in a case's life. `repeatable` events may happen more than once (several
 * suspects, several bail decisions, several hearings); each occurrence is its own obligation.
 */
export const eventTypes = {
  crime_recorded: { label: 'Crime recorded', repeatable: false },
  needs_assessment: { label: 'Victim needs assessment carried out', repeatable: true },
  language_need: { label: 'Need for interpreting or translation identified', repeatable: false },
  statement_taken: { label: 'Victim statement taken', repeatable: true },
  property_seized: { label: "Victim's property taken as evidence", repeatable: true },
  not_investigated: { label: 'Decision not to investigate', repeatable: false },
  suspect_arrested: { label: 'Suspect arrested', repeatable: true },
  suspect_interviewed: { label: 'Suspect interviewed under caution', repeatable: true },
  released_no_charge: { label: 'Suspect released without charge', repeatable: true },
  bailed: { label: 'Suspect released on police bail', repeatable: true },
  bail_changed: { label: 'Police bail conditions changed or bail cancelled', repeatable: true },
  released_under_investigation: { label: 'Suspect released under investigation', repeatable: true },
  charged: { label: 'Suspect charged', repeatable: true },
  out_of_court_disposal: { label: 'Out-of-court disposal given', repeatable: true },
  no_further_action: { label: 'Police no further action after suspect interviewed', repeatable: true },
  cps_no_charge: { label: 'CPS decided not to charge', repeatable: true },
  cps_discontinued: {
    label: 'CPS discontinued, substantially changed a charge or offered no evidence',
    repeatable: true,
  },
  hearing_set: { label: 'Hearing date received from the court', repeatable: true },
  hearing_held: { label: 'Court hearing held', repeatable: true },
  hearing_outcome: { label: 'Hearing outcome received from the court', repeatable: true },
  court_bail_decision: { label: 'Court bail decision, warrant or re-arrest', repeatable: true },
  witness_required: { label: 'CPS decided the victim is needed as a witness', repeatable: true },
  not_guilty_plea: { label: 'Not-guilty plea entered', repeatable: true },
  guilty_plea: { label: 'Guilty plea entered', repeatable: true },
  verdict: { label: 'Verdict given', repeatable: true },
  sentence: { label: 'Offender sentenced', repeatable: true },
  vcs_referral: { label: 'Referral received by the Victim Contact Scheme', repeatable: true },
  release_considered: { label: "Offender's release being considered", repeatable: true },
  offender_release: {
    label: 'Offender moved to open conditions, released or recalled',
    repeatable: true,
  },
  parole_review: { label: 'Parole review started', repeatable: true },
  complaint_received: { label: 'Complaint received', repeatable: true },
  death_caused: { label: 'Death caused by the crime', repeatable: false },
  // A commissioned service's own case: what its dip sample is judged from.
  service_referral: { label: 'Referral received by a commissioned victim service', repeatable: true },
  service_closed: { label: 'Case closed by the commissioned victim service', repeatable: true },
} as const satisfies Record<string, { label: string; repeatable: boolean }>
export type EventType = keyof typeof eventTypes
export const eventTypeKeys = Object.keys(eventTypes) as [EventType, ...EventType[]]

/**
 * Event types a population CSV may carry as columns, one column per type named by its key.
 * A repeatable type's cell may list several dates separated by `;`.
 */
export const eventColumns: ReadonlyArray<{ column: EventType; label: string; repeatable: boolean }> = eventTypeKeys.map(
  (column) => ({ column, ...eventTypes[column] }),
)

/** Split a CSV event cell into its dates (blank cells give none); validation is the schema's job. */
export function splitEventCell(cell: string | null | undefined): string[] {
  return (cell ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
}

// Due dates run up to 40 working days past an event and the calendar ends in 2100, so events
// stop a year short of it.
const EARLIEST = '2000-01-01'
const LATEST = '2099-12-31'

const caseDate = z
  .string()
  .refine(isIsoDate, { message: 'Enter a real date as YYYY-MM-DD' })
  .refine((s) => s >= EARLIEST && s <= LATEST, { message: 'Date must be between 2000 and 2099' })

const unknownable = z.boolean().nullable().default(null)

export const caseEventSchema = z.object({
  type: z.enum(eventTypeKeys),
  date: caseDate,
  agency: z.string().trim().min(1).max(100).optional(),
})
export type CaseEvent = z.infer<typeof caseEventSchema>

export const caseFactsSchema = z
  .object({
    reportedOn: caseDate,
    offenceGroup: z.enum(offenceGroupKeys),
    under18: unknownable,
    vulnerable: unknownable,
    intimidated: unknownable,
    persistentlyTargeted: unknownable,
    bereaved: unknownable,
    domesticAbuse: unknownable,
    hateCrime: unknownable,
    // Facts added after the first release default so that facts saved before them still read.
    victimType: z.enum(['individual', 'business']).default('individual'),
    seriousOffence: z.enum(seriousOffenceKeys).nullable().default(null),
    /** The agency could not establish the victim's age; the Code presumes under 18. */
    ageUnclear: z.boolean().default(false),
    /** Whether the agency flagged the victim as entitled to enhanced services; null if the file does not say. */
    recordedEnhanced: unknownable,
    cpsSpecifiedCase: unknownable,
    sentenceMonths: z.number().nonnegative().max(1200).nullable().default(null),
    specifiedOffence: unknownable,
    mentalHealthDisposal: z.enum(mentalHealthDisposalKeys).nullable().default(null),
    events: z.array(caseEventSchema).max(500).default([]),
  })
  .superRefine((facts, ctx) => {
    if (facts.ageUnclear && facts.under18 === false) {
      ctx.addIssue({
        code: 'custom',
        path: ['ageUnclear'],
        message: 'An unclear age cannot go with a victim recorded as 18 or over',
      })
    }
    const seen = new Set<EventType>()
    facts.events.forEach((event, index) => {
      if (!eventTypes[event.type].repeatable && seen.has(event.type)) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', index, 'type'],
          message: `${eventTypes[event.type].label} can only happen once`,
        })
      }
      seen.add(event.type)
    })
  })

/** Validated case facts; unknown characteristics are null, never missing. */
export type CaseFacts = z.infer<typeof caseFactsSchema>
/** What callers may pass in before defaults are filled. */
export type CaseFactsInput = z.input<typeof caseFactsSchema>
