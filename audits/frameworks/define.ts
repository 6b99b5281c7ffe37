// Fills the defaults that most items share, so each edition's data file lists only what differs.
import type { EventType } from '../case-facts.ts'
import type { FrameworkItem } from './types.ts'

type Optional =
  | 'agencyNote'
  | 'alsoTriggeredBy'
  | 'occurrence'
  | 'timing'
  | 'consent'
  | 'mojMeasure'
  | 'confirmationNote'
  | 'referenceRow'
  | 'limitUnconfirmed'

/**
 * An item as written in a data file: edition, group and Right come from the section it sits in;
 * the reference row defaults to the item's id, which is the row's ID in reference/victims-code.md §3.
 */
export type ItemSpec = Omit<FrameworkItem, Optional | 'appliesTo' | 'framework' | 'edition' | 'right' | 'group'> &
  Partial<Pick<FrameworkItem, Optional>> & {
    appliesTo?: Partial<FrameworkItem['appliesTo']>
  }

/** The usual police update limit: 5 working days, or 1 for victims entitled to enhanced services. */
export const fiveOrOne = { standard: 5, enhanced: 1 } as const

export function days(n: number): { standard: number; enhanced: number } {
  return { standard: n, enhanced: n }
}

function describeLimit(limit: FrameworkItem['timeLimit']): string {
  if (limit === null) return 'No fixed limit'
  const unit = limit.standard === 1 ? 'working day' : 'working days'
  return limit.enhanced === limit.standard
    ? `${limit.standard} ${unit}`
    : `${limit.standard} ${unit} (${limit.enhanced} if enhanced)`
}

export function defineItem(
  edition: FrameworkItem['edition'],
  group: string,
  right: number | null,
  framework: FrameworkItem['framework'] = 'victims_code',
) {
  return (spec: ItemSpec): FrameworkItem => ({
    framework,
    edition,
    group,
    right,
    agencyNote: null,
    alsoTriggeredBy: [] as EventType[],
    occurrence: 'each',
    consent: null,
    mojMeasure: null,
    confirmationNote: null,
    referenceRow: spec.id,
    limitUnconfirmed: false,
    ...spec,
    timing: spec.timing ?? describeLimit(spec.timeLimit),
    appliesTo: { enhancedOnly: false, victims: null, vcsOnly: false, requiresEvent: null, ...spec.appliesTo },
  })
}
