// What is wrong with a population file, line by line. Every problem is counted; a bounded
// number are kept (a file of garbage must not fill the memory), and those kept are what the
// result page and the problems CSV show.

export interface Problem {
  /** Line in the file where the row starts, the header being line 1; 0 for the file as a whole. */
  line: number
  /** Column name, or '' for a problem with the whole row. */
  column: string
  value: string
  reason: string
}

export const PROBLEMS_KEPT = 100_000
export const PROBLEMS_SHOWN = 100
const VALUE_SHOWN = 200

export class ProblemList {
  readonly kept: Problem[] = []
  count = 0

  constructor(private readonly limit = PROBLEMS_KEPT) {}

  add(line: number, column: string, value: string, reason: string): void {
    this.count++
    if (this.kept.length < this.limit) {
      const shown = value.length > VALUE_SHOWN ? `${value.slice(0, VALUE_SHOWN)}…` : value
      this.kept.push({ line, column, value: shown, reason })
    }
  }

  /** Line order; problems found at the end (duplicates) join the others. Stable within a line. */
  sortByLine(): void {
    this.kept.sort((a, b) => a.line - b.line)
  }

  get truncated(): boolean {
    return this.count > this.kept.length
  }
}

// A cell starting with one of these would run as a formula in a spreadsheet; the apostrophe
// makes it plain text (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/

function csvCell(value: string | number): string {
  let s = String(value)
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** The problems as CSV text (UTF-8 with a byte-order mark, so spreadsheets read it right). */
export function problemsCsv(problems: readonly Problem[]): string {
  const lines = ['line,column,value,reason']
  for (const p of problems) lines.push([p.line, p.column, p.value, p.reason].map(csvCell).join(','))
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
