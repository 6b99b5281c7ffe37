// Checks a population file record by record as the CSV reader hands the records over: the
// header first, then every row, cell by cell, then the case reference against all before it.
// Rows go on to be written until the first problem; after that only the checking goes on,
// so the person gets every problem in one go.
//
// Each row first meets the quick pass on the file text (quick-row-check.ts), which can only
// accept. A row it does not accept is checked again, whole, by the columns' zod schemas
// (schema-row-check.ts), which decide.
import { mapHeader } from './columns.ts'
import { columnChecks, type ColumnCheck } from './column-checks.ts'
import type { CsvRecord, CsvSink } from './csv-record.ts'
import { isoOfDay } from './dates.ts'
import { ProblemList } from './problems.ts'
import { quickRowCheck } from './quick-row-check.ts'
import type { RowCollector } from './row-batches.ts'
import type { ColumnSchemas } from './row-schema.ts'
import { RowValues } from './row-values.ts'
import { schemaRowCheck } from './schema-row-check.ts'
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
    if (!quickRowCheck(r, checks, row, this.knownAgencies)) {
      const ok = schemaRowCheck(r, checks, row, (column, value, message) =>
        this.problem(r.line, column, value, message),
      )
      if (!ok) {
        // A bad row's case reference still counts for the duplicate check, if it is a good one.
        if (row.caseRef !== '') this.repeatedRef(r.line, row.caseRef)
        return true
      }
    }
    if (this.repeatedRef(r.line, row.caseRef) || this.outside(r.line, row.reportedDay)) return true
    if (this.problems.count === 0)
      this.rows.add(row.reportedDay, row.offence, row.district, row.flagBits, row.outcome, row.agencyRef, row.events)
    return true
  }

  /** Records a good case reference; true (and a problem) when an earlier row has it too. */
  private repeatedRef(line: number, caseRef: string): boolean {
    const earlier = this.rows.addRef(caseRef, line)
    if (earlier < 0) return false
    this.problem(
      line,
      'case_ref',
      caseRef,
      `Case reference ${caseRef} is also on line ${earlier.toLocaleString('en-GB')}: each case must appear only once`,
    )
    return true
  }

  /** True for a good row reported outside the round's period: counted, and a problem under 'stop'. */
  private outside(line: number, reportedDay: number): boolean {
    const period = this.period
    if (!period || (reportedDay >= period.from && reportedDay <= period.to)) return false
    this.outsidePeriod++
    if (period.outside === 'stop') {
      this.problem(
        line,
        'reported_on',
        isoOfDay(reportedDay),
        `Reported on ${formatDate(isoOfDay(reportedDay))}, outside the round's period ` +
          `(${formatDate(isoOfDay(period.from))} to ${formatDate(isoOfDay(period.to))})`,
      )
    }
    return true
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
    this.checks = columnChecks(header.columns, this.schemas)
    return true
  }
}
