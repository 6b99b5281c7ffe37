// How each column of a file is checked, worked out once from its header: what kind of value the
// column holds, its zod schema, and where its value goes in a row (flag position, event index).
import type { z } from 'zod'
import { flagColumns, populationColumns, type ColumnDef } from './columns.ts'
import type { ColumnSchemas } from './row-schema.ts'

export const KIND = {
  caseRef: 0,
  date: 1,
  offenceGroup: 2,
  district: 3,
  flag: 4,
  outcome: 5,
  agencyRef: 6,
  event: 7,
} as const

export interface ColumnCheck {
  def: ColumnDef
  kind: number
  schema: z.ZodType
  /** Flag position or event index. */
  slot: number
  repeatable: boolean
}

const eventIndex = new Map(populationColumns.filter((c) => c.kind === 'event').map((c, i) => [c.name, i]))
const flagIndex = new Map<string, number>(flagColumns.map((f, i) => [f.column, i]))

/** The checks for the columns a header names, in its order. */
export function columnChecks(columns: readonly ColumnDef[], schemas: ColumnSchemas): ColumnCheck[] {
  const byName = schemas as unknown as Record<string, z.ZodType>
  return columns.map((def) => ({
    def,
    kind: KIND[def.kind],
    schema: byName[def.name] as z.ZodType,
    slot:
      def.kind === 'flag'
        ? (flagIndex.get(def.name) as number)
        : def.kind === 'event'
          ? (eventIndex.get(def.name) as number)
          : 0,
    repeatable: def.repeatable === true,
  }))
}
