// Sorting case references by UTF-16 code units, fast enough for a million-case draw (step 4 of the
// procedure at the top of sampling.ts sorts before it shuffles).

// Below this size a range is finished by insertion sort.
const SMALL_RANGE = 48

/**
 * A copy of `ids` sorted by UTF-16 code units — the same order as the default
 * Array.prototype.sort() — by most-significant-first radix sort, calling `onDuplicate` for any
 * id present more than once. On a million case references it takes roughly half the time of the
 * comparison sort, which alone would use up most of a million-case draw's one-second budget.
 */
export function sortByCodeUnits(ids: readonly string[], onDuplicate: (id: string) => void = () => {}): string[] {
  const a = ids.slice()
  const n = a.length
  const tmp = new Array<string>(n)
  const codes = new Int32Array(n)
  // Ranges [lo, hi) whose members share their first `depth` code units, as flat triples.
  const stack: number[] = [0, n, 0]
  while (stack.length > 0) {
    const depth = stack.pop() as number
    const hi = stack.pop() as number
    const lo = stack.pop() as number
    if (hi - lo <= SMALL_RANGE) {
      insertionSort(a, lo, hi, onDuplicate)
      continue
    }
    // −1 marks a string that has ended, which sorts before any longer one.
    let min = 0x10000
    let max = -1
    let ended = lo
    for (let i = lo; i < hi; i++) {
      const s = a[i] as string
      const c = depth < s.length ? s.charCodeAt(depth) : -1
      codes[i] = c
      if (c < min) min = c
      if (c > max) max = c
      if (c < 0) ended = i
    }
    if (min === max) {
      // A shared code unit (typically part of a prefix such as "CASE-") moves nothing; if every
      // string has ended they are all the same id.
      if (min >= 0) stack.push(lo, hi, depth + 1)
      else onDuplicate(a[lo] as string)
      continue
    }
    const range = max - min + 1
    if (range > 4 * (hi - lo) + 256) {
      // Widely spread code units (non-Latin text) would make the bucket table the main cost.
      const part = a.slice(lo, hi).sort()
      for (let i = lo; i < hi; i++) {
        a[i] = part[i - lo] as string
        if (i > lo && a[i] === a[i - 1]) onDuplicate(a[i] as string)
      }
      continue
    }
    const next = new Int32Array(range)
    for (let i = lo; i < hi; i++) {
      const b = (codes[i] as number) - min
      next[b] = (next[b] as number) + 1
    }
    let offset = lo
    for (let b = 0; b < range; b++) {
      const count = next[b] as number
      next[b] = offset
      if (count > 1) {
        // Bucket 0 with min = −1 holds strings that all ended here, so all equal.
        if (b === 0 && min === -1) onDuplicate(a[ended] as string)
        else stack.push(offset, offset + count, depth + 1)
      }
      offset += count
    }
    for (let i = lo; i < hi; i++) {
      const b = (codes[i] as number) - min
      const at = next[b] as number
      tmp[at] = a[i] as string
      next[b] = at + 1
    }
    for (let i = lo; i < hi; i++) a[i] = tmp[i] as string
  }
  return a
}

function insertionSort(a: string[], lo: number, hi: number, onDuplicate: (id: string) => void): void {
  for (let i = lo + 1; i < hi; i++) {
    const v = a[i] as string
    let j = i - 1
    while (j >= lo && (a[j] as string) > v) {
      a[j + 1] = a[j] as string
      j--
    }
    a[j + 1] = v
    if (j >= lo && a[j] === v) onDuplicate(v)
  }
}
