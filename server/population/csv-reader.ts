// A streaming reader for RFC 4180 CSV, written for speed: a population file can hold a million
// rows and csv-parse reads only about 20 MB a second, which alone would use most of the import's
// ten-second budget. It accepts UTF-8 with or without a byte-order mark, CRLF or LF line ends,
// quoted fields holding commas, doubled quotes and line breaks, and skips blank lines. A quote
// inside an unquoted field is kept as text (as spreadsheets write `5" pipe`). This module streams
// the bytes and decodes them; csv-record-parser.ts cuts the text into records.
import { CsvFormatError, csvMessages, sniff } from './csv-format.ts'
import { RecordParser } from './csv-record-parser.ts'
import type { CsvSink } from './csv-record.ts'

export interface ReadCsvOptions {
  /** A single record longer than this (in characters) stops the read: most likely a missing quote. */
  maxRecordChars?: number
  /** Called after each chunk with the bytes read so far. */
  onBytes?: (bytes: number) => void
  /** Called after each chunk; reading waits for a promise it returns (backpressure). */
  afterChunk?: () => Promise<void> | undefined
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
