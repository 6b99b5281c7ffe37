// From a case's facts to the Code obligations that applied to it and when each fell due.
import { addWorkingDays, compareIso } from './calendar.ts'
import { victimCharacteristics } from './case-facts.ts'
import type { CaseFacts, EventType, VictimCharacteristic } from './case-facts.ts'
import { editionInForce, getFramework, getItem } from './frameworks/index.ts'
import type { Edition, FrameworkItem, Trigger, VictimGroup } from './frameworks/index.ts'

export type TimeLimitOverrides = Readonly<Record<string, { standard?: number; enhanced?: number }>>

export interface ApplicabilityOptions {
  /** Defaults to the edition in force on the date the crime was reported. */
  edition?: Edition
  /** Per-round changes to an item's limits, in working days, keyed by item id. */
  timeLimitOverrides?: TimeLimitOverrides
}

export interface EnhancedEligibility {
  eligible: boolean
  /** Why, in words shown to the auditor. */
  reasons: string[]
  /** Characteristics the case facts leave unknown, which could have made the victim eligible. */
  unknown: string[]
}

export interface Obligation {
  item: FrameworkItem
  /** Unique within the case and stable when other events are added: `<item>@<date>#<n>`. */
  key: string
  triggerEvent: Trigger
  triggerDate: string
  timeLimitDays: number | null
  dueDate: string | null
  consentRequired: boolean
}

export interface Applicability {
  edition: Edition
  enhanced: EnhancedEligibility
  items: Obligation[]
}

// Order and wording of the reasons the auditor sees; sexual-offence complainants count as
// intimidated whatever the flags say.
const reasonChecks: ReadonlyArray<[test: (facts: CaseFacts) => boolean, reason: string]> = [
  [(f) => f.under18 === true, victimCharacteristics.under18],
  [(f) => f.domesticAbuse === true, victimCharacteristics.domesticAbuse],
  [(f) => f.offenceGroup === 'sexual', 'Sexual offence complainant (intimidated automatically)'],
  [(f) => f.bereaved === true, victimCharacteristics.bereaved],
  [(f) => f.persistentlyTargeted === true, victimCharacteristics.persistentlyTargeted],
  [(f) => f.vulnerable === true, victimCharacteristics.vulnerable],
  [(f) => f.intimidated === true, victimCharacteristics.intimidated],
  [(f) => f.hateCrime === true, victimCharacteristics.hateCrime],
]

/** Whether the victim qualified for enhanced entitlements (2015) or Enhanced Rights (2020). */
export function enhancedEligibility(facts: CaseFacts): EnhancedEligibility {
  const reasons = reasonChecks.filter(([test]) => test(facts)).map(([, reason]) => reason)
  const unknown = (Object.keys(victimCharacteristics) as VictimCharacteristic[])
    .filter((key) => facts[key] === null)
    .map((key) => victimCharacteristics[key])
  return { eligible: reasons.length > 0, reasons, unknown }
}

/** A custodial sentence of 12 months or more for a specified violent or sexual offence. */
export function isVcsEligible(facts: CaseFacts): boolean {
  return facts.sentenceMonths !== null && facts.sentenceMonths >= 12 && facts.specifiedOffence === true
}

function inGroup(facts: CaseFacts, group: VictimGroup): boolean {
  return group.offenceGroups.includes(facts.offenceGroup) || group.characteristics.some((c) => facts[c] === true)
}

function checkOverrides(overrides: TimeLimitOverrides): void {
  for (const [id, limits] of Object.entries(overrides)) {
    if (!getItem(id)) throw new RangeError(`timeLimitOverrides: unknown item ${id}`)
    for (const [kind, value] of Object.entries(limits)) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
        throw new RangeError(`timeLimitOverrides: ${id} ${kind} limit must be a whole number of days of 1 or more, got ${String(value)}`)
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

function occurrences(item: FrameworkItem, facts: CaseFacts): Array<{ type: Trigger; date: string }> {
  const triggers: Trigger[] = [item.trigger, ...item.alsoTriggeredBy]
  const found: Array<{ type: Trigger; date: string; rank: number }> = []
  triggers.forEach((type, rank) => {
    if (type === 'reported') found.push({ type, date: facts.reportedOn, rank })
    for (const event of facts.events) if (event.type === (type as EventType)) found.push({ type, date: event.date, rank })
  })
  found.sort((a, b) => compareIso(a.date, b.date) || a.rank - b.rank)
  return item.occurrence === 'first' ? found.slice(0, 1) : found
}

/** The obligations that applied to a case, ordered by trigger date and then as in the Code. */
export function applicableItems(facts: CaseFacts, options: ApplicabilityOptions = {}): Applicability {
  const edition = options.edition ?? editionInForce(facts.reportedOn)
  const overrides = options.timeLimitOverrides ?? {}
  checkOverrides(overrides)
  const enhanced = enhancedEligibility(facts)
  const vcs = isVcsEligible(facts)

  const items: Array<Obligation & { order: number }> = []
  getFramework(edition).items.forEach((item, order) => {
    const scope = item.appliesTo
    if (scope.enhancedOnly && !enhanced.eligible) return
    if (scope.victims && !inGroup(facts, scope.victims)) return
    if (scope.vcsOnly && !vcs) return

    const timeLimitDays = limitFor(item, enhanced.eligible, overrides)
    const consent = item.consent
    const consentRequired =
      consent !== null && (consent.mode === 'opt_in' || (consent.explicitFor !== null && inGroup(facts, consent.explicitFor)))
    const perDate = new Map<string, number>()
    for (const { type, date } of occurrences(item, facts)) {
      const n = (perDate.get(date) ?? 0) + 1
      perDate.set(date, n)
      items.push({
        item,
        key: `${item.id}@${date}#${n}`,
        triggerEvent: type,
        triggerDate: date,
        timeLimitDays,
        dueDate: timeLimitDays === null ? null : addWorkingDays(date, timeLimitDays),
        consentRequired,
        order,
      })
    }
  })
  items.sort((a, b) => compareIso(a.triggerDate, b.triggerDate) || a.order - b.order)
  return { edition, enhanced, items: items.map(({ order: _order, ...obligation }) => obligation) }
}
