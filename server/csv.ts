// CSV downloads: one way of writing a field and a file, so every export opens the same in a
// spreadsheet.

/**
 * A CSV field: quoted when needed, and text that a spreadsheet would run as a formula
 * (starting =, +, -, @, tab or return) is prefixed with an apostrophe.
 */
export function csvField(value: string | number): string {
  let s = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function csvLines(rows: readonly (readonly (string | number)[])[]): string {
  // Byte order mark so Excel opens the UTF-8 file with the right characters; CRLF per RFC 4180.
  return '\ufeff' + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}
