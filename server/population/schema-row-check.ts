// A row through its columns' zod schemas, which have the last word: the messages for each bad
// cell, or the row's values for a row the quick pass was unsure of that turns out fine after all
// (say, a date with a stray Unicode space).
import type { ColumnCheck } from './column-checks.ts'
import type { CsvRecord } from './csv-record.ts'
import type { RowValues } from './row-values.ts'

// The schemas take these as lower case, as the quick checks read them whatever the capitals.
const foldCase = new Set(['offenceGroup', 'district', 'flag'])

export type CellProblem = (column: string, value: string, message: string) => void

/**
 * Fills `row` from the record's cells and returns true, or tells `problem` about every bad cell
 * and returns false (with the case reference still filled in when that cell was good).
 */
export function schemaRowCheck(
  r: CsvRecord,
  checks: readonly ColumnCheck[],
  row: RowValues,
  problem: CellProblem,
): boolean {
  row.reset()
  let ok = true
  for (let k = 0; k < checks.length; k++) {
    const check = checks[k] as ColumnCheck
    const raw = r.field(k)
    const trimmed = raw.trim()
    const input = trimmed === '' ? undefined : foldCase.has(check.def.kind) ? trimmed.toLowerCase() : trimmed
    const parsed = check.schema.safeParse(input)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problem(check.def.name, raw, issue.message)
      ok = false
    } else if (parsed.data !== undefined) row.setParsed(check.kind, check.slot, parsed.data)
  }
  return ok
}
