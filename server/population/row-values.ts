// One row's values as its checks fill them in and the row collector takes them: numbers for what
// comes from a fixed list (offence group, district, flags, dates), text for the rest. One object
// is reused for every row of a file.
import { districtKeys, flagColumns, offenceGroupKeys, type District, type OffenceGroup } from './columns.ts'
import { KIND } from './column-checks.ts'
import { FLAG_UNKNOWN } from './row-batches.ts'

// Two bits per flag, every one "not known" until its column says otherwise.
const ALL_UNKNOWN = flagColumns.reduce((bits, _f, i) => bits | (FLAG_UNKNOWN << (2 * i)), 0)

export class RowValues {
  caseRef = ''
  reportedDay = 0
  offence = 0
  district = 0
  flagBits = ALL_UNKNOWN
  outcome: string | undefined = undefined
  agencyRef: string | undefined = undefined
  /** [event index, day] pairs. */
  readonly events: number[] = []

  reset(): void {
    this.caseRef = ''
    this.flagBits = ALL_UNKNOWN
    this.outcome = undefined
    this.agencyRef = undefined
    this.events.length = 0
  }

  setFlag(slot: number, value: number): void {
    this.flagBits = (this.flagBits & ~(3 << (2 * slot))) | (value << (2 * slot))
  }

  /** A cell's value as its column's zod schema gives it. */
  setParsed(kind: number, slot: number, value: unknown): void {
    if (kind === KIND.flag) this.setFlag(slot, value as number)
    else if (kind === KIND.event) for (const day of value as number[]) this.events.push(slot, day)
    else if (kind === KIND.date) this.reportedDay = value as number
    else if (kind === KIND.offenceGroup) this.offence = offenceGroupKeys.indexOf(value as OffenceGroup)
    else if (kind === KIND.district) this.district = districtKeys.indexOf(value as District)
    else if (kind === KIND.caseRef) this.caseRef = value as string
    else if (kind === KIND.outcome) this.outcome = value as string
    else if (kind === KIND.agencyRef) this.agencyRef = value as string
  }
}
