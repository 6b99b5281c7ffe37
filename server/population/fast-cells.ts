// Quick checks of one cell, read straight from the file text (a span of it) without making a
// string. They only ever say "fine, here is the value" or "not sure": a cell they do not accept
// goes to its column's zod schema (row-schema.ts), which has the last word and the message.
// test/server/population-core.test.ts checks that they never accept what zod would refuse.
import { CASE_REF_MAX } from './columns.ts'
import { daySpan } from './dates.ts'

export const REJECT = -1
export { daySpan }

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 160 || code === 0xfeff
}

/** First non-space position in [s, e). */
export function trimStart(text: string, s: number, e: number): number {
  while (s < e && isSpace(text.charCodeAt(s))) s++
  return s
}

/** One past the last non-space position in [s, e). */
export function trimEnd(text: string, s: number, e: number): number {
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--
  return e
}

/** Letters, digits, / _ - and 1 to 64 of them (the case_ref pattern). */
export function isCaseRef(text: string, s: number, e: number): boolean {
  const n = e - s
  if (n < 1 || n > CASE_REF_MAX) return false
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i)
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 47 || c === 95
    if (!ok) return false
  }
  return true
}

/** Index of the key the span spells, ignoring ASCII capitals, else REJECT. */
export function keySpan(text: string, s: number, e: number, keys: readonly string[]): number {
  const n = e - s
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k] as string
    if (key.length !== n) continue
    let i = 0
    for (; i < n; i++) {
      let c = text.charCodeAt(s + i)
      if (c >= 65 && c <= 90) c += 32
      if (c !== key.charCodeAt(i)) break
    }
    if (i === n) return k
  }
  return REJECT
}

/** Every event date in a cell, pushed as [slot, day] pairs; false when any part is not plainly valid. */
export function eventSpan(
  text: string,
  s: number,
  e: number,
  repeatable: boolean,
  slot: number,
  out: number[],
): boolean {
  let found = 0
  let p = s
  while (p <= e) {
    let semi = text.indexOf(';', p)
    if (semi === -1 || semi > e) semi = e
    const a = trimStart(text, p, semi)
    const b = trimEnd(text, a, semi)
    if (b > a) {
      const day = daySpan(text, a, b)
      if (day < 0) return false
      found++
      if (!repeatable && found > 1) return false
      out.push(slot, day)
    }
    p = semi + 1
  }
  return true
}
