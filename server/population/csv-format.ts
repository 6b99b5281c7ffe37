// What can be wrong with a CSV file, in the words the person who uploaded it reads: bytes that are
// not CSV text at all (a workbook, UTF-16, binary data), which stop the read, and records that
// cannot be read, which are reported and skipped.

/** The file as a whole cannot be read as CSV; nothing after it is reliable. */
export class CsvFormatError extends Error {
  override name = 'CsvFormatError'
}

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

/** Refuses a file whose first bytes show it is not UTF-8 CSV text. */
export function sniff(head: Uint8Array): void {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)
    throw new CsvFormatError(csvMessages.workbook)
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0)
    throw new CsvFormatError(csvMessages.workbook)
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
    throw new CsvFormatError(csvMessages.utf16)
  const end = Math.min(head.length, 8192)
  for (let i = 0; i < end; i++) if (head[i] === 0) throw new CsvFormatError(csvMessages.binary)
}
