// One CSV record as the reader hands it over, and what it hands records to.

/**
 * One record, as spans of a text rather than one string per field: a million rows hold some
 * thirty million fields, and most of them never need to become strings of their own. The
 * object is reused for the next record, so a sink copies out what it keeps.
 */
export class CsvRecord {
  text = ''
  starts = new Int32Array(64)
  ends = new Int32Array(64)
  count = 0
  /** File line the record starts on (1-based). */
  line = 0

  field(i: number): string {
    return this.text.slice(this.starts[i], this.ends[i])
  }

  fields(): string[] {
    const out: string[] = []
    for (let i = 0; i < this.count; i++) out.push(this.field(i))
    return out
  }

  push(start: number, end: number): void {
    if (this.count === this.starts.length) {
      const starts = new Int32Array(this.count * 2)
      const ends = new Int32Array(this.count * 2)
      starts.set(this.starts)
      ends.set(this.ends)
      this.starts = starts
      this.ends = ends
    }
    this.starts[this.count] = start
    this.ends[this.count] = end
    this.count++
  }
}

export interface CsvSink {
  /** One record; return false to stop reading. */
  record(record: CsvRecord): boolean | void
  /** A record that could not be read; reading resumes on the next line. */
  malformed(line: number, reason: string): void
}
