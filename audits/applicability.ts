// From a case's facts to the Code obligations that applied to it and when each fell due. Each
// obligation is judged under the edition in force on the date of its trigger event (reference §1,
// "Which edition applies"), so a case that runs across 1 April 2021 mixes editions.
import { addWorkingDays, compareIso } from './calendar.ts'
import type { CaseFacts, EventType } from './case-facts.ts'
import { CODE_START, commissioned, editionInForce, getFramework, getItem } from './frameworks/index.ts'
import type { Edition, FrameworkItem, FrameworkKind, Trigger, VictimGroup } from './frameworks/index.ts'
import {
  enhancedEligibility,
  enhancedFlagCheck,
  NO_CODE_REASON,
  type EnhancedEligibility,
  type FlagCheck,
} from './enhanced-eligibility.ts'

export type TimeLimitOverrides = Readonly<Record<string, { standard?: number; enhanced?: number }>>

export interface ApplicabilityOptions {
  /** Per-round changes to an item's limits, in working days, keyed by item id. */
  timeLimitOverrides?: TimeLimitOverrides
  /** The round's question set: the Victims' Code (the default) or the commissioned-services set. */
  framework?: FrameworkKind
}

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

export interface Applicability {
  /** The editions the obligations come from, oldest first. */
  editions: Edition[]
  /** Eligibility on the date the crime was reported, when the needs assessment decides it. */
  enhanced: EnhancedEligibility
  flagCheck: FlagCheck
  items: Obligation[]
  outsideCode: OutsideCode[]
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
