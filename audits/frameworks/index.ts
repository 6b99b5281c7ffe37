// The Victims' Code editions as checked, versioned data. Importing this module validates the
// data and throws if any of it is broken.
import { isIsoDate } from '../calendar.ts'
import { code2015 } from './code-2015.ts'
import { code2020 } from './code-2020.ts'
import { crosswalkData } from './crosswalk.ts'
import { themes, validateFrameworkData } from './types.ts'
import type { CrosswalkEntry, Edition, Framework, FrameworkItem } from './types.ts'

export * from './types.ts'
export { rights2020 } from './code-2020.ts'

const validated = validateFrameworkData({
  frameworks: { '2015': code2015, '2020': code2020 },
  crosswalk: crosswalkData,
})

export const frameworks: Readonly<Record<Edition, Framework>> = validated.frameworks
export const crosswalk: readonly CrosswalkEntry[] = validated.crosswalk

const byId = new Map<string, FrameworkItem>(
  Object.values(frameworks).flatMap((f) => f.items.map((item) => [item.id, item] as const)),
)

export function getFramework(edition: Edition): Framework {
  const framework = frameworks[edition]
  if (!framework) throw new RangeError(`getFramework: unknown edition ${String(edition)}`)
  return framework
}

/** The item with this id in either edition, or undefined. */
export function getItem(id: string): FrameworkItem | undefined {
  return byId.get(id)
}

/** The other edition's counterparts of an item, for trends across the change of Code. */
export function counterparts(id: string): CrosswalkEntry[] {
  return crosswalk.filter((entry) => entry.from2015 === id || entry.to2020 === id)
}

/** The 2020 Code applies from 1 April 2021; earlier dates fall under the 2015 Code. */
export function editionInForce(date: string): Edition {
  if (!isIsoDate(date)) throw new RangeError(`editionInForce: ${JSON.stringify(date)} is not a valid date`)
  return date >= '2021-04-01' ? '2020' : '2015'
}

export function themeName(id: string): string | undefined {
  return themes.find((t) => t.id === id)?.name
}
