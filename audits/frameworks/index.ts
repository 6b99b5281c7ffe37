// The Victims' Code editions as checked, versioned data. Importing this module validates the
// data and throws if any of it is broken.
import { isIsoDate } from '../calendar.ts'
import { code2015 } from './code-2015.ts'
import { commissionedServices } from './commissioned-services.ts'
import { code2020 } from './code-2020.ts'
import { crosswalkData } from './crosswalk.ts'
import { editions, themes, validateFrameworkData } from './types.ts'
import type { CrosswalkEntry, Edition, Framework, FrameworkItem, FrameworkKind } from './types.ts'

export * from './types.ts'
export { rights2020 } from './code-2020.ts'
export { commissionedGroups } from './commissioned-services.ts'

const validated = validateFrameworkData({
  frameworks: { '2015': code2015, '2020': code2020 },
  crosswalk: crosswalkData,
  commissioned: commissionedServices,
})

export const frameworks: Readonly<Record<Edition, Framework>> = validated.frameworks
export const crosswalk: readonly CrosswalkEntry[] = validated.crosswalk
/** The commissioned-services question set a dip sample of a service's case files is judged by. */
export const commissioned: Framework = validated.commissioned as Framework

/** Every item of every framework: both Code editions, then the commissioned-services set. */
export const allItems: readonly FrameworkItem[] = [...Object.values(frameworks), commissioned].flatMap((f) => f.items)

const byId = new Map<string, FrameworkItem>(allItems.map((item) => [item.id, item] as const))

/**
 * The items a round is reviewed and scored by, in report order: for a Code round its heading
 * edition's items and then the other edition's (a case may cross 1 April 2021); for a
 * commissioned-services round, that set alone.
 */
export function roundItems(kind: FrameworkKind, edition: Edition): FrameworkItem[] {
  if (kind === 'commissioned_services') return [...commissioned.items]
  return [edition, ...editions.filter((e) => e !== edition)].flatMap((e) => getFramework(e).items)
}

export function getFramework(edition: Edition): Framework {
  const framework = frameworks[edition]
  if (!framework) throw new RangeError(`getFramework: unknown edition ${String(edition)}`)
  return framework
}

/**
 * The items a finding on a round may name: its heading edition's for a Code round, the
 * commissioned-services questions for a dip sample.
 */
export function headingItems(kind: FrameworkKind, edition: Edition): FrameworkItem[] {
  return kind === 'commissioned_services' ? [...commissioned.items] : [...getFramework(edition).items]
}

/** What a form says when an item chosen is not one of headingItems(kind, edition). */
export function headingItemsOnly(kind: FrameworkKind, edition: Edition): string {
  return kind === 'commissioned_services'
    ? 'Select commissioned-services questions only'
    : `Select items of the ${edition} Code only`
}

/** The item with this id in either edition or the commissioned-services set, or undefined. */
export function getItem(id: string): FrameworkItem | undefined {
  return byId.get(id)
}

/** The other edition's counterparts of an item, for trends across the change of Code. */
export function counterparts(id: string): CrosswalkEntry[] {
  return crosswalk.filter((entry) => entry.from2015 === id || entry.to2020 === id)
}

/** The first day any Code edition here was in force (reference §1: 2015 Code from 16 Nov 2015). */
export const CODE_START = '2015-11-16'
/** The first day of the 2020 Code (reference §1: 1 Apr 2021 onwards). */
export const CODE_2020_START = '2021-04-01'

/**
 * The edition in force on a date: the 2015 Code from 16 November 2015 to 31 March 2021, the
 * 2020 Code from 1 April 2021; null before 16 November 2015, when neither was.
 */
export function editionInForce(date: string): Edition | null {
  if (!isIsoDate(date)) throw new RangeError(`editionInForce: ${JSON.stringify(date)} is not a valid date`)
  if (date >= CODE_2020_START) return '2020'
  return date >= CODE_START ? '2015' : null
}

export function themeName(id: string): string | undefined {
  return themes.find((t) => t.id === id)?.name
}
