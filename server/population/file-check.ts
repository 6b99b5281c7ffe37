// Checks a population file record by record as the CSV reader hands the records over: the
// header first, then every row, cell by cell, then the case reference against all before it.
// Rows go on to be written until the first problem; after that only the checking goes on,
// so the person gets every problem in one go.
//
// Each cell first meets a quick check on the file text (fast-cells.ts), which can only accept.
// A row with any cell it does not accept is checked again, whole, by the columns' zod schemas,
// which decide: they give the messages for a bad row, and their output for a row that turns out
// fine after all (say, a date with a stray Unicode space). Measured on a million rows, running
// zod on every cell would take longer than the import is allowed in all.
import type { z } from 'zod'
import {
  districtKeys,
  flagColumns,
  mapHeader,
  offenceGroupKeys,
  populationColumns,
  AGENCY_REF_MAX,
  OUTCOME_MAX,
  type ColumnDef,
} from './columns.ts'
import type { CsvRecord, CsvSink } from './csv-reader.ts'
import { daySpan, eventSpan, isCaseRef, keySpan, REJECT, trimEnd, trimStart } from './fast-cells.ts'
import { ProblemList } from './problems.ts'
import { FLAG_UNKNOWN, type RowCollector } from './row-batches.ts'
import type { ColumnSchemas } from './row-schema.ts'
import { isoOfDay } from './dates.ts'
import { formatDate } from '../view-helpers.ts'

/**
 * The round's period as day numbers, and what to do with a case reported outside it: 'stop'
 * makes each one a problem (nothing is imported), 'drop' leaves it out and counts it.
 */
export interface PeriodRule {
  from: number
  to: number
  outside: 'stop' | 'drop'
}

const eventIndex = new Map(populationColumns.filter((c) => c.kind === 'event').map((c, i) => [c.name, i]))
const flagIndex = new Map<string, number>(flagColumns.map((f, i) => [f.column, i]))
const foldCase = new Set(['offenceGroup', 'district', 'flag'])
// Two bits per flag, every one "not known" until its column says otherwise.
const ALL_UNKNOWN = flagColumns.reduce((bits, _f, i) => bits | (FLAG_UNKNOWN << (2 * i)), 0)
const flagWords = ['no', 'yes', 'n', 'y', 'false', 'true', '0', '1']

const KIND = { caseRef: 0, date: 1, offenceGroup: 2, district: 3, flag: 4, outcome: 5, agencyRef: 6, event: 7 } as const

interface ColumnCheck {
  def: ColumnDef
  kind: number
  schema: z.ZodType
  /** Flag position or event index. */
  slot: number
  repeatable: boolean
}

/** One row's values as they go on to be written. */
class RowValues {
  caseRef = ''
  reportedDay = 0
  offence = 0
  district = 0
  flagBits = ALL_UNKNOWN
  outcome: string | undefined = undefined
  agencyRef: string | undefined = undefined
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
}

export class PopulationFileCheck implements CsvSink {
  readonly problems = new ProblemList()
  /** Messages about the header row; when set, the rows were not read. */
  headerMessages: string[] | null = null
  rowsRead = 0
  /** Good rows reported outside the round's period (problems under 'stop', left out under 'drop'). */
  outsidePeriod = 0
  private checks: ColumnCheck[] | null = null
  private readonly row = new RowValues()

  constructor(
    private readonly schemas: ColumnSchemas,
    private readonly knownAgencies: ReadonlySet<string>,
    readonly rows: RowCollector,
    /** Told once, at the first problem: nothing will be saved, so the writing can stop. */
    private readonly onFirstProblem: () => void = () => {},
    private readonly period: PeriodRule | null = null,
  ) {}

  get sawHeader(): boolean {
    return this.checks !== null || this.headerMessages !== null
  }

  record(r: CsvRecord): boolean {
    if (this.headerMessages) return false
    const checks = this.checks
    if (!checks) return this.readHeader(r.fields())
    this.rowsRead++
    const width = checks.length
    if (r.count !== width) {
      this.problem(
        r.line,
        '',
        '',
        `This row has ${r.count} ${r.count === 1 ? 'value' : 'values'} but the first line names ${width} ` +
          `columns: check for a missing or extra comma, or a value with a comma that needs quotes`,
      )
      return true
    }
    const row = this.row
    row.reset()
    if (!this.quickRow(r, checks, row) && !this.zodRow(r, checks, row)) return true
    const earlier = this.rows.addRef(row.caseRef, r.line)
    if (earlier >= 0) {
      this.problem(
        r.line,
        'case_ref',
        row.caseRef,
        `Case reference ${row.caseRef} is also on line ${earlier.toLocaleString('en-GB')}: each case must appear ` +
          `only once`,
      )
      return true
    }
    const period = this.period
    if (period && (row.reportedDay < period.from || row.reportedDay > period.to)) {
      this.outsidePeriod++
      if (period.outside === 'stop') {
        this.problem(
          r.line,
          'reported_on',
          isoOfDay(row.reportedDay),
          `Reported on ${formatDate(isoOfDay(row.reportedDay))}, outside the round's period ` +
            `(${formatDate(isoOfDay(period.from))} to ${formatDate(isoOfDay(period.to))})`,
        )
      }
      return true
    }
    if (this.problems.count === 0)
      this.rows.add(row.reportedDay, row.offence, row.district, row.flagBits, row.outcome, row.agencyRef, row.events)
    return true
  }

  /** The quick checks on every cell; false as soon as one is not plainly fine. */
  private quickRow(r: CsvRecord, checks: ColumnCheck[], row: RowValues): boolean {
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
          if (v.length > AGENCY_REF_MAX || !this.knownAgencies.has(v.toLowerCase())) return false
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

  /** The whole row through the zod schemas: problems reported, or the row's values. */
  private zodRow(r: CsvRecord, checks: ColumnCheck[], row: RowValues): boolean {
    row.reset()
    let ok = true
    for (let k = 0; k < checks.length; k++) {
      const check = checks[k] as ColumnCheck
      const raw = r.field(k)
      const trimmed = raw.trim()
      const input = trimmed === '' ? undefined : foldCase.has(check.def.kind) ? trimmed.toLowerCase() : trimmed
      const parsed = check.schema.safeParse(input)
      if (!parsed.success) {
        for (const issue of parsed.error.issues) this.problem(r.line, check.def.name, raw, issue.message)
        ok = false
        continue
      }
      const value = parsed.data as unknown
      if (value === undefined) continue
      switch (check.kind) {
        case KIND.caseRef:
          row.caseRef = value as string
          break
        case KIND.date:
          row.reportedDay = value as number
          break
        case KIND.offenceGroup:
          row.offence = offenceGroupKeys.indexOf(value as (typeof offenceGroupKeys)[number])
          break
        case KIND.district:
          row.district = districtKeys.indexOf(value as (typeof districtKeys)[number])
          break
        case KIND.flag:
          row.setFlag(check.slot, value as number)
          break
        case KIND.outcome:
          row.outcome = value as string
          break
        case KIND.agencyRef:
          row.agencyRef = value as string
          break
        case KIND.event:
          for (const day of value as number[]) row.events.push(check.slot, day)
          break
      }
    }
    // A bad row's case reference still counts for the duplicate check, if it is a good one.
    if (!ok && row.caseRef !== '') {
      const earlier = this.rows.addRef(row.caseRef, r.line)
      if (earlier >= 0)
        this.problem(
          r.line,
          'case_ref',
          row.caseRef,
          `Case reference ${row.caseRef} is also on line ${earlier.toLocaleString('en-GB')}: each case must ` +
            `appear only once`,
        )
    }
    return ok
  }

  malformed(line: number, reason: string): void {
    if (!this.checks) {
      this.headerMessages ??= [`The first line, which must hold the column names, cannot be read: ${reason}.`]
      return
    }
    this.rowsRead++
    this.problem(line, '', '', reason)
  }

  private problem(line: number, column: string, value: string, reason: string): void {
    if (this.problems.count === 0) {
      this.rows.discardRows()
      this.onFirstProblem()
    }
    this.problems.add(line, column, value, reason)
  }

  private readHeader(fields: string[]): boolean {
    const header = mapHeader(fields)
    if (!header.ok) {
      this.headerMessages = header.messages
      return false
    }
    const schemas = this.schemas as unknown as Record<string, z.ZodType>
    this.checks = header.columns.map((def) => ({
      def,
      kind: KIND[def.kind],
      schema: schemas[def.name] as z.ZodType,
      slot:
        def.kind === 'flag'
          ? (flagIndex.get(def.name) as number)
          : def.kind === 'event'
            ? (eventIndex.get(def.name) as number)
            : 0,
      repeatable: def.repeatable === true,
    }))
    return true
  }
}
