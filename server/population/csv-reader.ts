// A streaming reader for RFC 4180 CSV, written for speed: a population file can hold a million
// rows and csv-parse reads only about 20 MB a second, which alone would use most of the import's
// ten-second budget. Lines without a quote take a fast path (find the commas); lines with one are
// read character by character. It accepts UTF-8 with or without a byte-order mark, CRLF or LF
// line ends, quoted fields holding commas, doubled quotes and line breaks, and skips blank lines.
// A quote inside an unquoted field is kept as text (as spreadsheets write `5" pipe`).

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

/** The file as a whole cannot be read as CSV; nothing after it is reliable. */
export class CsvFormatError extends Error {
  override name = 'CsvFormatError'
}

export interface ReadCsvOptions {
  /** A single record longer than this (in characters) stops the read: most likely a missing quote. */
  maxRecordChars?: number
  /** Called after each chunk with the bytes read so far. */
  onBytes?: (bytes: number) => void
  /** Called after each chunk; reading waits for a promise it returns (backpressure). */
  afterChunk?: () => Promise<void> | undefined
}

const QUOTE = 34
const COMMA = 44
const LF = 10
const CR = 13
const NEED_MORE = -1

export const csvMessages = {
  binary:
    'This is not a CSV file: it contains binary data. Save the case list as "CSV UTF-8 (comma delimited)" and ' +
    'upload that.',
  workbook:
    'This is a spreadsheet workbook, not a CSV file. Open it and save it as "CSV UTF-8 (comma delimited)", then ' +
    'upload that file.',
  utf16: 'This file is saved as UTF-16 text. Save it as "CSV UTF-8 (comma delimited)" and upload that.',
  notUtf8: 'This file is not UTF-8 text. Save it as "CSV UTF-8 (comma delimited)" and upload that.',
  afterQuote: 'A value in quotes must be followed by a comma or the end of the line',
  unclosed: (line: number) =>
    `The value in quotes that starts on line ${line.toLocaleString('en-GB')} is never closed: a closing quote ` +
    `(") is missing`,
  tooLong: (line: number, max: number) =>
    `Line ${line.toLocaleString('en-GB')} runs on for more than ${max.toLocaleString('en-GB')} characters: most ` +
    `likely a closing quote (") is missing, or this is not a CSV file`,
}

function sniff(head: Uint8Array): void {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)
    throw new CsvFormatError(csvMessages.workbook)
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0)
    throw new CsvFormatError(csvMessages.workbook)
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
    throw new CsvFormatError(csvMessages.utf16)
  const end = Math.min(head.length, 8192)
  for (let i = 0; i < end; i++) if (head[i] === 0) throw new CsvFormatError(csvMessages.binary)
}

class RecordParser {
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

/**
 * Reads CSV records from a byte stream into `sink`. Throws CsvFormatError when the bytes are not
 * UTF-8 text (a workbook, UTF-16, binary data) or a record runs on without end.
 */
export async function readCsv(
  source: AsyncIterable<Uint8Array>,
  sink: CsvSink,
  options: ReadCsvOptions = {},
): Promise<void> {
  const parser = new RecordParser(sink, options.maxRecordChars ?? 1_000_000)
  // fatal: a Windows-1252 file would otherwise import with its accented letters garbled.
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let rest = ''
  let bytes = 0
  let head: Uint8Array | null = new Uint8Array(0)
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode()
    } catch {
      throw new CsvFormatError(csvMessages.notUtf8)
    }
  }
  for await (const chunk of source) {
    if (head) {
      // Check the first few kilobytes (however the stream happens to split them) before any text.
      const joined: Uint8Array = new Uint8Array(head.length + chunk.length)
      joined.set(head)
      joined.set(chunk, head.length)
      if (joined.length < 8192) {
        head = joined
        continue
      }
      sniff(joined)
      head = null
      bytes += joined.length
      rest = parseChunk(parser, rest + decode(joined), false)
    } else {
      bytes += chunk.length
      rest = parseChunk(parser, rest + decode(chunk), false)
    }
    options.onBytes?.(bytes)
    if (parser.stopped) return
    const wait = options.afterChunk?.()
    if (wait) await wait
  }
  if (head) {
    sniff(head)
    bytes += head.length
    rest += decode(head)
  }
  parseChunk(parser, rest + decode(), true)
  options.onBytes?.(bytes)
}

function parseChunk(parser: RecordParser, text: string, final: boolean): string {
  const used = parser.parse(text, final)
  return used >= text.length ? '' : text.slice(used)
}
