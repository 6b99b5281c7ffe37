// From a case's facts to the Code obligations that applied to it and when each fell due. Each
// obligation is judged under the edition in force on the date of its trigger event (reference §1,
// "Which edition applies"), so a case that runs across 1 April 2021 mixes editions.
import { addWorkingDays, compareIso } from './calendar.ts'
import { seriousOffences, victimCharacteristics } from './case-facts.ts'
import type { CaseFacts, EventType, VictimCharacteristic } from './case-facts.ts'
import { CODE_START, commissioned, editionInForce, getFramework, getItem } from './frameworks/index.ts'
import type { Edition, FrameworkItem, FrameworkKind, Trigger, VictimGroup } from './frameworks/index.ts'

export type TimeLimitOverrides = Readonly<Record<string, { standard?: number; enhanced?: number }>>

export interface ApplicabilityOptions {
  /** Per-round changes to an item's limits, in working days, keyed by item id. */
  timeLimitOverrides?: TimeLimitOverrides
  /** The round's question set: the Victims' Code (the default) or the commissioned-services set. */
  framework?: FrameworkKind
}

export interface EnhancedEligibility {
  eligible: boolean
  /** Why, in words shown to the auditor: the groups the victim is in, or why there is no tier. */
  reasons: string[]
  /** Characteristics the case facts leave unknown, which could have made the victim eligible. */
  unknown: string[]
  /** The edition the judgement was made under; null before any Code was in force. */
  edition: Edition | null
}

/**
 * A field id for an obligation key, short because a case page repeats each one about sixty times
 * (ids, names, labels, error slots): `R6.2@2023-03-08#1` → `R6_2_6j7_1`, the item with `.` as `_`,
 * the date as days since 1 January 2000 in three base-36 digits (to 2127; any other date in full
 * as eight digits), and the number. Usable in HTML ids, names, CSS selectors and URL fragments.
 * Keys are `<item>@<date>#<n>` and item ids never hold `_`, so no two keys share one.
 */
export function fieldIdOf(key: string): string {
  const m = /^(.*)@(\d{4})-(\d{2})-(\d{2})#(\d+)$/.exec(key)
  if (!m) return key.replace(/[^A-Za-z0-9-]/g, '_')
  const [, item, y, mo, d, n] = m as unknown as [string, string, string, string, string, string]
  const days = (Date.UTC(Number(y), Number(mo) - 1, Number(d)) - FIELD_ID_EPOCH) / 86_400_000
  const date = days >= 0 && days < 36 ** 3 ? days.toString(36).padStart(3, '0') : `${y}${mo}${d}`
  return `${item.replace(/[^A-Za-z0-9-]/g, '_')}_${date}_${n}`
}

const FIELD_ID_EPOCH = Date.UTC(2000, 0, 1)

export interface Obligation {
  item: FrameworkItem
  /** Unique within the case and stable when other events are added: `<item>@<date>#<n>`. */
  key: string
  /** The edition in force on the trigger date, which the item belongs to. */
  edition: Edition
  triggerEvent: Trigger
  triggerDate: string
  /** Whether the victim was entitled to enhanced services on the trigger date. */
  enhanced: boolean
  timeLimitDays: number | null
  dueDate: string | null
  /** The reference flags the limit U: the due date rests on an assumed limit. */
  limitUnconfirmed: boolean
  consentRequired: boolean
}

/** A trigger event that created no obligation because no Code was in force on its date. */
export interface OutsideCode {
  triggerEvent: Trigger
  date: string
  reason: string
}

export type FlagCheckStatus = 'agrees' | 'not_identified' | 'flagged_not_eligible' | 'not_recorded'

/** The agency's recorded enhanced flag set against the status worked out from the facts. */
export interface FlagCheck {
  recorded: boolean | null
  computed: boolean
  status: FlagCheckStatus
  /** A sentence for the case page; null when the two agree. */
  message: string | null
}

export interface Applicability {
  /** The editions the obligations come from, oldest first. */
  editions: Edition[]
  /** Eligibility on the date the crime was reported, when the needs assessment decides it. */
  enhanced: EnhancedEligibility
  flagCheck: FlagCheck
  items: Obligation[]
  outsideCode: OutsideCode[]
}

export const BUSINESS_REASON = 'A business: businesses have their own entitlements and no enhanced tier'
export const AGE_UNCLEAR_REASON = 'Age unclear: presumed under 18'
export const NO_CODE_REASON = 'Before 16 November 2015, when the 2015 Code came into force: no Code obligation'

// Order and wording of the reasons the auditor sees (reference §2). Sexual-offence and
// trafficking complainants count as intimidated whatever the flags say.
const reasonChecks: ReadonlyArray<[test: (facts: CaseFacts) => boolean, reason: (facts: CaseFacts) => string]> = [
  [(f) => f.under18 === true, () => victimCharacteristics.under18],
  [(f) => f.ageUnclear && f.under18 === null, () => AGE_UNCLEAR_REASON],
  [(f) => f.domesticAbuse === true, () => victimCharacteristics.domesticAbuse],
  [(f) => f.offenceGroup === 'sexual', () => 'Sexual offence complainant (intimidated automatically)'],
  [(f) => f.seriousOffence === 'trafficking', () => 'Human trafficking complainant (intimidated automatically)'],
  [
    (f) => f.seriousOffence !== null && f.seriousOffence !== 'none' && f.seriousOffence !== 'trafficking',
    (f) => `Most serious crime: ${seriousOffences[f.seriousOffence as keyof typeof seriousOffences]}`,
  ],
  [(f) => f.bereaved === true, () => victimCharacteristics.bereaved],
  [(f) => f.persistentlyTargeted === true, () => victimCharacteristics.persistentlyTargeted],
  [(f) => f.vulnerable === true, () => victimCharacteristics.vulnerable],
  [(f) => f.intimidated === true, () => victimCharacteristics.intimidated],
  [(f) => f.hateCrime === true, () => victimCharacteristics.hateCrime],
]

/**
 * Whether the victim qualified for enhanced entitlements (2015) or Enhanced Rights (2020) on a
 * date; the report date when none is given. The three groups are the same in both editions [S6].
 */
export function enhancedEligibility(facts: CaseFacts, onDate: string = facts.reportedOn): EnhancedEligibility {
  const edition = editionInForce(onDate)
  if (edition === null) return { eligible: false, reasons: [NO_CODE_REASON], unknown: [], edition }
  if (facts.victimType === 'business') return { eligible: false, reasons: [BUSINESS_REASON], unknown: [], edition }
  const reasons = reasonChecks.filter(([test]) => test(facts)).map(([, reason]) => reason(facts))
  const unknown: string[] = (Object.keys(victimCharacteristics) as VictimCharacteristic[])
    .filter((key) => facts[key] === null && !(key === 'under18' && facts.ageUnclear))
    .map((key) => victimCharacteristics[key])
  if (facts.seriousOffence === null) unknown.push('Offence of the most serious crime')
  return { eligible: reasons.length > 0, reasons, unknown, edition }
}

/**
 * The agency's enhanced flag against the status worked out for the report date, when the police
 * decide it at the needs assessment (reference §2: "compare it with the recorded flag, and report
 * mismatches").
 */
export function enhancedFlagCheck(facts: CaseFacts, computed = enhancedEligibility(facts).eligible): FlagCheck {
  const recorded = facts.recordedEnhanced
  if (recorded === null) {
    return {
      recorded,
      computed,
      status: 'not_recorded',
      message: 'The file does not show whether the agency flagged the victim as enhanced',
    }
  }
  if (recorded === computed) return { recorded, computed, status: 'agrees', message: null }
  return recorded
    ? {
        recorded,
        computed,
        status: 'flagged_not_eligible',
        message: 'Flagged as enhanced by the agency, but the case facts show no enhanced group',
      }
    : {
        recorded,
        computed,
        status: 'not_identified',
        message: 'Entitled to enhanced services, but the agency did not flag the victim as enhanced',
      }
}

/**
 * How the offender's disposal brought the victim into the Victim Contact Scheme under an edition,
 * or null. 2015 (row V15-N01): 12 months or more for a specified violent or sexual offence, or a
 * hospital order. 2020 (row R11.1): the same sentence, or any Mental Health Act order.
 */
export function vcsRoute(facts: CaseFacts, edition: Edition): string | null {
  if (facts.sentenceMonths !== null && facts.sentenceMonths >= 12 && facts.specifiedOffence === true) {
    return 'Custodial sentence of 12 months or more for a specified violent or sexual offence'
  }
  if (facts.mentalHealthDisposal === 'hospital_order') return 'Hospital order'
  if (facts.mentalHealthDisposal === 'other_order' && edition === '2020') return 'Mental Health Act order'
  return null
}

/** Whether the victim came into the Victim Contact Scheme under the 2020 Code's routes. */
export function isVcsEligible(facts: CaseFacts, edition: Edition = '2020'): boolean {
  return vcsRoute(facts, edition) !== null
}

function inGroup(facts: CaseFacts, group: VictimGroup): boolean {
  if (group.caseFlags.some((flag) => facts[flag] === true)) return true
  // A business has no personal characteristics; offence-group items (e.g. interviewer choice for
  // sexual-offence victims) are about a person too.
  if (facts.victimType === 'business') return false
  return group.offenceGroups.includes(facts.offenceGroup) || group.characteristics.some((c) => facts[c] === true)
}

function checkOverrides(overrides: TimeLimitOverrides, framework: FrameworkKind): void {
  for (const [id, limits] of Object.entries(overrides)) {
    if (getItem(id)?.framework !== framework) throw new RangeError(`timeLimitOverrides: unknown item ${id}`)
    for (const [kind, value] of Object.entries(limits)) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
        throw new RangeError(
          `timeLimitOverrides: ${id} ${kind} limit must be a whole number of days of 1 or more, got ${String(value)}`,
        )
      }
    }
  }
}

/**
 * The limit for one victim. An override of only the standard limit on an item that had none
 * sets both, since the Code gave enhanced victims nothing faster to keep.
 */
function limitFor(item: FrameworkItem, eligible: boolean, overrides: TimeLimitOverrides): number | null {
  const override = overrides[item.id]
  const standard = override?.standard ?? item.timeLimit?.standard ?? null
  const enhanced = override?.enhanced ?? item.timeLimit?.enhanced ?? standard
  return eligible ? enhanced : standard
}

interface Occurrence {
  type: Trigger
  date: string
  rank: number
}

function allOccurrences(facts: CaseFacts, triggers: readonly Trigger[]): Occurrence[] {
  const found: Occurrence[] = []
  triggers.forEach((type, rank) => {
    if (type === 'reported') found.push({ type, date: facts.reportedOn, rank })
    for (const event of facts.events)
      if (event.type === (type as EventType)) found.push({ type, date: event.date, rank })
  })
  return found.sort((a, b) => compareIso(a.date, b.date) || a.rank - b.rank)
}

// Only triggers dated while the item's edition was in force create a Code item; 'first' then means
// the first such trigger, so a 2020 item can arise at a later event in a case reported under 2015.
// A commissioned service's duties run from its own referral whatever Code was in force.
function occurrences(item: FrameworkItem, facts: CaseFacts): Occurrence[] {
  const inEdition = allOccurrences(facts, [item.trigger, ...item.alsoTriggeredBy]).filter(
    (o) => item.framework === 'commissioned_services' || editionInForce(o.date) === item.edition,
  )
  return item.occurrence === 'first' ? inEdition.slice(0, 1) : inEdition
}

function outsideCode(facts: CaseFacts): OutsideCode[] {
  const triggers: Trigger[] = ['reported', ...facts.events.map((e) => e.type)]
  return allOccurrences(facts, [...new Set(triggers)])
    .filter((o) => o.date < CODE_START)
    .map((o) => ({ triggerEvent: o.type, date: o.date, reason: NO_CODE_REASON }))
}

/** The obligations that applied to a case, ordered by trigger date and then as in the Code. */
export function applicableItems(facts: CaseFacts, options: ApplicabilityOptions = {}): Applicability {
  const overrides = options.timeLimitOverrides ?? {}
  const framework = options.framework ?? 'victims_code'
  checkOverrides(overrides, framework)
  const hasEvent = new Set(facts.events.map((e) => e.type))
  const eligibleOn = new Map<string, boolean>()
  const eligible = (date: string): boolean => {
    let known = eligibleOn.get(date)
    if (known === undefined) {
      known = enhancedEligibility(facts, date).eligible
      eligibleOn.set(date, known)
    }
    return known
  }

  const items: Array<Obligation & { order: number }> = []
  const sets = framework === 'commissioned_services' ? [commissioned] : [getFramework('2015'), getFramework('2020')]
  for (const { edition, items: frameworkItems } of sets) {
    const vcs = vcsRoute(facts, edition) !== null
    frameworkItems.forEach((item, order) => {
      const scope = item.appliesTo
      if (scope.victims && !inGroup(facts, scope.victims)) return
      if (scope.vcsOnly && !vcs) return
      if (scope.requiresEvent && !hasEvent.has(scope.requiresEvent)) return
      const consent = item.consent
      const consentRequired =
        consent !== null &&
        (consent.mode === 'opt_in' || (consent.explicitFor !== null && inGroup(facts, consent.explicitFor)))
      const perDate = new Map<string, number>()
      for (const { type, date } of occurrences(item, facts)) {
        const enhanced = eligible(date)
        if (scope.enhancedOnly && !enhanced) continue
        const n = (perDate.get(date) ?? 0) + 1
        perDate.set(date, n)
        const timeLimitDays = limitFor(item, enhanced, overrides)
        items.push({
          item,
          key: `${item.id}@${date}#${n}`,
          edition,
          triggerEvent: type,
          triggerDate: date,
          enhanced,
          timeLimitDays,
          dueDate: timeLimitDays === null ? null : addWorkingDays(date, timeLimitDays),
          limitUnconfirmed: item.limitUnconfirmed,
          consentRequired,
          order,
        })
      }
    })
  }
  // Dates decide the order; on the same date the editions cannot both apply, so order is the Code's.
  items.sort((a, b) => compareIso(a.triggerDate, b.triggerDate) || a.order - b.order)
  const enhanced = enhancedEligibility(facts)
  return {
    editions: [...new Set(items.map((o) => o.edition))].sort(),
    enhanced,
    flagCheck: enhancedFlagCheck(facts, enhanced.eligible),
    items: items.map(({ order: _order, ...obligation }) => obligation),
    outsideCode: framework === 'commissioned_services' ? [] : outsideCode(facts),
  }
}

export interface FlagTally {
  /** Cases whose facts say whether the agency flagged the victim. */
  recorded: number
  /** Entitled to enhanced services but not flagged: the QAF's "victims not identified as vulnerable". */
  notIdentified: number
  flaggedNotEligible: number
  /** Cases whose file does not show the agency's flag. */
  notRecorded: number
}

/** Counts of the recorded-flag check over a set of cases, for the scores. */
export function tallyFlagChecks(cases: readonly CaseFacts[]): FlagTally {
  const tally: FlagTally = { recorded: 0, notIdentified: 0, flaggedNotEligible: 0, notRecorded: 0 }
  for (const facts of cases) {
    const { status } = enhancedFlagCheck(facts)
    if (status === 'not_recorded') tally.notRecorded++
    else tally.recorded++
    if (status === 'not_identified') tally.notIdentified++
    if (status === 'flagged_not_eligible') tally.flaggedNotEligible++
  }
  return tally
}
