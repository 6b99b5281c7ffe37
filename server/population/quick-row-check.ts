// The quick pass over a row: each cell checked on the file text (fast-cells.ts) and its value put
// straight into the row, without making a string for most cells. It can only accept: false means
// "not sure", and the row then goes through its columns' zod schemas (schema-row-check.ts), which
// decide. Measured on a million rows, running zod on every cell would take longer than the import
// is allowed in all.
import { AGENCY_REF_MAX, districtKeys, OUTCOME_MAX, offenceGroupKeys } from './columns.ts'
import { KIND, type ColumnCheck } from './column-checks.ts'
import type { CsvRecord } from './csv-record.ts'
import { daySpan, eventSpan, isCaseRef, keySpan, REJECT, trimEnd, trimStart } from './fast-cells.ts'
import type { RowValues } from './row-values.ts'

// Index & 1 is the flag's value: 0 no, 1 yes.
const flagWords = ['no', 'yes', 'n', 'y', 'false', 'true', '0', '1']

/** Fills `row` from the record's cells; false as soon as one is not plainly fine. */
export function quickRowCheck(
  r: CsvRecord,
  checks: readonly ColumnCheck[],
  row: RowValues,
  knownAgencies: ReadonlySet<string>,
): boolean {
  const text = r.text
  const starts = r.starts
  const ends = r.ends
  for (let k = 0; k < checks.length; k++) {
    const check = checks[k] as ColumnCheck
    const s = trimStart(text, starts[k] as number, ends[k] as number)
    const e = trimEnd(text, s, ends[k] as number)
    if (s === e) {
      if (check.def.required) return false
      continue
    }
    switch (check.kind) {
      case KIND.caseRef:
        if (!isCaseRef(text, s, e)) return false
        row.caseRef = text.slice(s, e)
        break
      case KIND.date: {
        const day = daySpan(text, s, e)
        if (day < 0) return false
        row.reportedDay = day
        break
      }
      case KIND.offenceGroup: {
        const i = keySpan(text, s, e, offenceGroupKeys)
        if (i === REJECT) return false
        row.offence = i
        break
      }
      case KIND.district: {
        const i = keySpan(text, s, e, districtKeys)
        if (i === REJECT) return false
        row.district = i
        break
      }
      case KIND.flag: {
        const i = keySpan(text, s, e, flagWords)
        if (i === REJECT) return false
        row.setFlag(check.slot, i & 1)
        break
      }
      case KIND.outcome: {
        // Strings from here on: JavaScript's own trim, exactly as the schema sees them.
        const v = text.slice(starts[k], ends[k]).trim()
        if (v.length > OUTCOME_MAX) return false
        row.outcome = v
        break
      }
      case KIND.agencyRef: {
        const v = text.slice(starts[k], ends[k]).trim()
        if (v.length > AGENCY_REF_MAX || !knownAgencies.has(v.toLowerCase())) return false
        row.agencyRef = v
        break
      }
      case KIND.event:
        if (!eventSpan(text, s, e, check.repeatable, check.slot, row.events)) return false
        break
    }
  }
  return true
}
