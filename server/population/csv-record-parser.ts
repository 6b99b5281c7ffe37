// Turns decoded text into CSV records. Lines without a quote take a fast path (find the commas);
// lines with one are read character by character. Fields stay spans of the text (CsvRecord), and
// a record cut off by the end of a chunk waits for the next one.
import { CsvFormatError, csvMessages } from './csv-format.ts'
import { CsvRecord, type CsvSink } from './csv-record.ts'

const QUOTE = 34
const COMMA = 44
const LF = 10
const CR = 13
const NEED_MORE = -1

export class RecordParser {
  line = 1
  stopped = false

  constructor(
    private readonly sink: CsvSink,
    private readonly maxRecordChars: number,
  ) {}

  private readonly current = new CsvRecord()

  private emitSpans(text: string, start: number, stop: number, line: number): void {
    const r = this.current
    r.text = text
    r.count = 0
    r.line = line
    let p = start
    for (;;) {
      const c = text.indexOf(',', p)
      if (c === -1 || c >= stop) {
        r.push(p, stop)
        break
      }
      r.push(p, c)
      p = c + 1
    }
    if (this.sink.record(r) === false) this.stopped = true
  }

  /** Reads whole records from text; returns where the unread remainder starts. */
  parse(text: string, final: boolean): number {
    const length = text.length
    let pos = 0
    let quoteAt = text.indexOf('"')
    while (pos < length && !this.stopped) {
      if (quoteAt !== -1 && quoteAt < pos) quoteAt = text.indexOf('"', pos)
      const nl = text.indexOf('\n', pos)
      if (quoteAt === -1 || (nl !== -1 && quoteAt > nl)) {
        if (nl === -1 && !final) break
        const end = nl === -1 ? length : nl
        const stop = end > pos && text.charCodeAt(end - 1) === CR ? end - 1 : end
        if (stop > pos) this.emitSpans(text, pos, stop, this.line)
        this.line++
        pos = end + 1
        continue
      }
      const next = this.parseRecord(text, pos, final)
      if (next === NEED_MORE) break
      pos = next
    }
    if (!final && length - pos > this.maxRecordChars)
      throw new CsvFormatError(csvMessages.tooLong(this.line, this.maxRecordChars))
    return Math.min(pos, length)
  }

  /**
   * One record that holds a quote somewhere, from `start`; NEED_MORE if it runs past the text.
   * Fields stay spans of the text, quoted ones included; only a value with a doubled quote
   * inside becomes a string of its own.
   */
  private parseRecord(text: string, start: number, final: boolean): number {
    const length = text.length
    const r = this.current
    r.text = text
    r.count = 0
    r.line = this.line
    let unescaped: Map<number, string> | null = null
    let breaks = 0
    let i = start
    let nl = -1
    for (;;) {
      if (i >= length) {
        if (!final) return NEED_MORE
        // The file ends straight after a comma: the record ends with an empty field.
        r.push(length, length)
        return this.finish(unescaped, breaks, length)
      }
      if (text.charCodeAt(i) === QUOTE) {
        const open = i + 1
        let value: string | null = null
        let j = open
        for (;;) {
          const q = text.indexOf('"', j)
          if (q === -1) {
            if (!final) return NEED_MORE
            this.sink.malformed(this.line, csvMessages.unclosed(this.line))
            this.line += 1 + countBreaks(text, start, length)
            return length
          }
          if (q + 1 >= length && !final) return NEED_MORE
          if (text.charCodeAt(q + 1) === QUOTE) {
            value = (value ?? '') + text.slice(j, q + 1)
            j = q + 2
            continue
          }
          if (value !== null) {
            // biome-ignore lint/suspicious/noAssignInExpressions: made only for a field with escaped quotes
            ;(unescaped ??= new Map()).set(r.count, value + text.slice(j, q))
          }
          r.push(open, q)
          breaks += countBreaks(text, open, q)
          i = q + 1
          break
        }
        const c = text.charCodeAt(i)
        if (c === COMMA) {
          i++
          continue
        }
        if (i >= length) return final ? this.finish(unescaped, breaks, length) : NEED_MORE
        if (c === LF) return this.finish(unescaped, breaks, i + 1)
        if (c === CR) {
          if (i + 1 >= length && !final) return NEED_MORE
          if (i + 1 >= length || text.charCodeAt(i + 1) === LF) return this.finish(unescaped, breaks, i + 2)
        }
        // Junk after a closing quote: report the record and carry on from the next line.
        const lineEnd = text.indexOf('\n', i)
        if (lineEnd === -1 && !final) return NEED_MORE
        const resume = lineEnd === -1 ? length : lineEnd + 1
        this.sink.malformed(this.line, csvMessages.afterQuote)
        this.line += 1 + breaks + countBreaks(text, i, resume - 1)
        return resume
      }
      // The line end is looked up once per line, not once per field.
      if (nl < i) {
        nl = text.indexOf('\n', i)
        if (nl === -1) nl = length
      }
      if (nl === length && !final) return NEED_MORE
      let comma = text.indexOf(',', i)
      if (comma === -1) comma = length
      if (comma < nl) {
        r.push(i, comma)
        i = comma + 1
        continue
      }
      const stop = nl > i && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl
      r.push(i, stop)
      return this.finish(unescaped, breaks, nl + 1)
    }
  }

  private finish(unescaped: Map<number, string> | null, breaks: number, next: number): number {
    this.line += 1 + breaks
    const r = this.current
    if (unescaped) {
      // Rebuild the record as one text of its own, so every field is again a span of it.
      const fields: string[] = []
      for (let f = 0; f < r.count; f++) fields.push(unescaped.get(f) ?? r.field(f))
      let p = 0
      r.text = fields.join('')
      for (let f = 0; f < fields.length; f++) {
        const len = (fields[f] as string).length
        r.starts[f] = p
        r.ends[f] = p + len
        p += len
      }
    }
    if (this.sink.record(r) === false) this.stopped = true
    return next
  }
}

function countBreaks(text: string, from: number, to: number): number {
  let n = 0
  let i = text.indexOf('\n', from)
  while (i !== -1 && i < to) {
    n++
    i = text.indexOf('\n', i + 1)
  }
  return n
}
