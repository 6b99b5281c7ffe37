// Reading an upload of reported figures: the population import's CSV reader (same file checks and
// messages: a workbook, UTF-16 or binary file is named as such), every row read by the same rules
// as the form, every bad row reported with its line number, and nothing kept unless every row is
// good (the caller saves all of them in one transaction).
import { readReported, type ReportedFigure, type ReportedInput } from '../../../audits/reconciliation.ts'
import { CsvFormatError } from '../../population/csv-format.ts'
import { readCsv } from '../../population/csv-reader.ts'

/** The file's columns, in order; the template and the guide on the upload page list the same. */
export const reportedColumns = [
  {
    name: 'measure',
    field: 'measure',
    meaning: 'moj:<measure> or item:<Code item>, e.g. moj:vps_offered or item:R6.1',
  },
  { name: 'period_from', field: 'from', meaning: 'first month of the period, YYYY-MM, e.g. 2024-10' },
  { name: 'period_to', field: 'to', meaning: 'last month of the period, YYYY-MM, e.g. 2025-03' },
  { name: 'percent', field: 'percent', meaning: 'the reported figure, 0 to 100, one decimal at most, e.g. 92.5' },
  { name: 'cases', field: 'cases', meaning: 'how many cases the figure covers, a whole number, e.g. 1204' },
] as const satisfies readonly { name: string; field: keyof ReportedInput; meaning: string }[]

/** Most rows one upload takes: a year of every measure for one agency is far fewer. */
export const MAX_ROWS = 2000

export interface UploadProblem {
  line: number | null
  message: string
}

export type UploadReading = { ok: true; figures: ReportedFigure[] } | { ok: false; problems: UploadProblem[] }

export function templateCsv(): string {
  return `${reportedColumns.map((c) => c.name).join(',')}\r\nmoj:vps_offered,2024-10,2025-03,92,1204\r\n`
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes
}

export async function readReportedUpload(bytes: Uint8Array, today: string): Promise<UploadReading> {
  const problems: UploadProblem[] = []
  const figures: ReportedFigure[] = []
  const seen = new Map<string, number>()
  let header: string[] | null = null
  let rows = 0
  const expected = reportedColumns.map((c) => c.name)
  try {
    await readCsv(once(bytes), {
      record(r) {
        const cells = r.fields().map((c) => c.trim())
        if (!header) {
          header = cells.map((c) => c.toLowerCase())
          if (header.join(',') !== expected.join(',')) {
            problems.push({
              line: r.line,
              message: `The first line must name the columns ${expected.join(', ')} (in that order)`,
            })
            return false
          }
          return
        }
        rows++
        if (rows > MAX_ROWS) {
          problems.push({ line: r.line, message: `A file can hold at most ${MAX_ROWS.toLocaleString('en-GB')} rows` })
          return false
        }
        if (cells.length !== expected.length) {
          problems.push({ line: r.line, message: `Expected ${expected.length} values, found ${cells.length}` })
          return
        }
        const input = Object.fromEntries(
          reportedColumns.map((c, i) => [c.field, cells[i] ?? '']),
        ) as unknown as ReportedInput
        const read = readReported(input, today)
        if (!read.ok) {
          const named = (f: string) => reportedColumns.find((c) => c.field === f)?.name ?? f
          for (const p of read.problems) problems.push({ line: r.line, message: `${named(p.field)}: ${p.message}` })
          return
        }
        const key = `${read.figure.measure.key}|${read.figure.periodFrom}|${read.figure.periodTo}`
        const first = seen.get(key)
        if (first !== undefined) {
          problems.push({ line: r.line, message: `Repeats the measure and period of line ${first}` })
          return
        }
        seen.set(key, r.line)
        figures.push(read.figure)
      },
      malformed(line, reason) {
        problems.push({ line, message: reason })
      },
    })
  } catch (err) {
    if (err instanceof CsvFormatError) return { ok: false, problems: [{ line: null, message: err.message }] }
    throw err
  }
  if (!header) problems.push({ line: null, message: 'The file is empty' })
  else if (rows === 0 && problems.length === 0)
    problems.push({ line: null, message: 'The file has no rows of figures' })
  return problems.length > 0 ? { ok: false, problems } : { ok: true, figures }
}
