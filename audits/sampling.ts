// Seeded, reproducible sampling (reference/statistics.md, "Seeded sampling" and "Allocation").
// Same population + same seed + same design gives the same cases, on any machine, and the
// procedure is simple enough to re-implement from this description alone:
//
//   1. The seed is turned into text: a string as is, a number as its JavaScript decimal form
//      (so 42 and '42' are the same seed).
//   2. cyrb128 (bryc's public-domain 128-bit string hash, over UTF-16 code units) of that text
//      gives four 32-bit words, the state of a xoshiro128** generator (Blackman & Vigna).
//   3. Integers below m come from 32-bit outputs by rejection: outputs at or above
//      2³² − (2³² mod m) are discarded, the rest reduced mod m, so every value is equally likely.
//   4. A draw sorts the case references by UTF-16 code units (import order must not matter),
//      then shuffles them with the forward Fisher–Yates: for i = 0 … n−2, swap item i with item
//      i + int(n − i). The result is the order in which cases were drawn; a sample of size n is
//      its first n and replacements come next, so enlarging a sample never changes earlier picks.
//   5. In a stratified draw each stratum uses its own seed, stratumSeed(seed, key), so adding,
//      removing or resizing one stratum leaves every other stratum's draw alone.

export interface Rng {
  /** Uniform in [0, 1), with 53 random bits. */
  next(): number
  /** Uniform integer in [0, maxExclusive); maxExclusive an integer from 1 to 2³². */
  nextInt(maxExclusive: number): number
}

const TWO_32 = 0x100000000

function checkCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`)
  }
}

function seedText(seed: string | number): string {
  if (typeof seed === 'string') return seed
  if (typeof seed === 'number' && Number.isFinite(seed)) return String(seed)
  throw new RangeError(`seed must be a string or a finite number, got ${String(seed)}`)
}

/** cyrb128 hash (bryc, public domain) of a string's UTF-16 code units: four unsigned 32-bit words. */
export function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ c, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ c, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ c, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ c, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}

/**
 * xoshiro128** (Blackman & Vigna 2018) from a 128-bit state: returns a function giving the
 * next unsigned 32-bit output. An all-zero state, which would emit zeros for ever, is replaced
 * by [1, 0, 0, 0]; cyrb128 yields it with probability 2⁻¹²⁸.
 */
export function xoshiro128ss(state: readonly [number, number, number, number]): () => number {
  let [s0, s1, s2, s3] = state.map((w) => w >>> 0) as [number, number, number, number]
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1
  return () => {
    const m = Math.imul(s1, 5)
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0
    const t = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << 11) | (s3 >>> 21)
    return result
  }
}

function uniformInt(u32: () => number, max: number): number {
  // Outputs in the last, partial block of size 2³² mod max would favour small results.
  const limit = TWO_32 - (TWO_32 % max)
  let x = u32()
  while (x >= limit) x = u32()
  return x % max
}

/** A seeded generator: xoshiro128** with its state from cyrb128 of the seed text. */
export function createRng(seed: string | number): Rng {
  const u32 = xoshiro128ss(cyrb128(seedText(seed)))
  return {
    next: () => ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992,
    nextInt: (maxExclusive: number) => {
      if (!Number.isInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > TWO_32) {
        throw new RangeError(`maxExclusive must be an integer from 1 to 2^32, got ${maxExclusive}`)
      }
      return uniformInt(u32, maxExclusive)
    },
  }
}

/**
 * The seed a stratum's draw uses: `<length of seed text>:<seed text>/<key>`. The length prefix
 * keeps the split unambiguous (seed 'a/b' with key 'c' differs from seed 'a' with key 'b/c').
 */
export function stratumSeed(seed: string | number, key: string): string {
  const text = seedText(seed)
  return `${text.length}:${text}/${key}`
}

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

function shuffleSorted(ids: readonly string[], seed: string | number, name: string): string[] {
  const out = sortByCodeUnits(ids, (id) => {
    throw new RangeError(`${name} contains "${id}" more than once`)
  })
  const u32 = xoshiro128ss(cyrb128(seedText(seed)))
  const n = out.length
  for (let i = 0; i < n - 1; i++) {
    const j = i + uniformInt(u32, n - i)
    const tmp = out[i] as string
    out[i] = out[j] as string
    out[j] = tmp
  }
  return out
}

/**
 * A seeded random permutation of `ids`, in draw order. It depends only on the set of ids and
 * the seed, not on the order they are given in. Duplicate ids are a RangeError: a case drawn
 * twice would make the sample smaller than it claims.
 */
export function seededOrder(ids: readonly string[], seed: string | number): string[] {
  return shuffleSorted(ids, seed, 'ids')
}

// ---------------------------------------------------------------------------------------------

export type AllocationMethod = 'proportional' | 'neyman' | 'equal'

export interface AllocationStratum {
  key: string
  /** Cases in the stratum, N_h. */
  size: number
  /** For Neyman: the stratum's proportion in the previous round (0.5 when unknown). */
  expectedProportion?: number
}

export interface Allocation {
  key: string
  allocated: number
}

// Remainders are compared at this resolution so that floating-point noise cannot overrule the
// documented tie-break by key.
const REMAINDER_RESOLUTION = 1e9

/**
 * Splits a total sample across strata. Returns one entry per stratum, in input order.
 *
 * - proportional: in proportion to size, N_h.
 * - neyman: in proportion to N_h·S_h with S_h = sqrt(p_h(1 − p_h)), p_h the expected proportion
 *   (0.5 when not given). A stratum expected to be all-or-nothing (p_h = 0 or 1) gets only its
 *   minimum, unless every other stratum is already full; the rest then goes to such strata in
 *   proportion to size, so the total is still reached.
 * - equal: the same for every stratum.
 *
 * Each stratum gets between min(minimum, N_h) and N_h. Within those bounds the shares follow the
 * method: a stratum whose share exceeds its size is capped and the excess goes to the others
 * in the method's proportions, and a stratum whose share falls below the minimum is raised to
 * it at the others' expense. Shares are then rounded by largest remainder, ties going to the key
 * that sorts first (UTF-16 code units), so the parts add up to exactly min(total, ΣN_h).
 * A RangeError names `minimum` if the minimums alone would exceed that.
 */
export function allocate(
  strata: readonly AllocationStratum[],
  total: number,
  method: AllocationMethod,
  minimum = 0,
): Allocation[] {
  if (method !== 'proportional' && method !== 'neyman' && method !== 'equal') {
    throw new RangeError(`method must be 'proportional', 'neyman' or 'equal', got ${String(method)}`)
  }
  checkCount(total, 'total')
  checkCount(minimum, 'minimum')
  const keys = new Set<string>()
  strata.forEach((s, i) => {
    checkCount(s.size, `strata[${i}].size`)
    if (keys.has(s.key)) throw new RangeError(`strata[${i}].key "${s.key}" is used twice`)
    keys.add(s.key)
    const p = s.expectedProportion
    if (p !== undefined && !(p >= 0 && p <= 1)) {
      throw new RangeError(`strata[${i}].expectedProportion must be between 0 and 1, got ${p}`)
    }
  })
  const hi = strata.map((s) => s.size)
  let lo = strata.map((s) => Math.min(minimum, s.size))
  const target = Math.min(total, sum(hi))
  if (sum(lo) > target) {
    throw new RangeError(`minimum of ${minimum} per stratum needs ${sum(lo)} cases but only ${target} can be allocated`)
  }
  let w = strata.map((s) => {
    if (method === 'equal') return 1
    const p = s.expectedProportion ?? 0.5
    return method === 'neyman' ? s.size * Math.sqrt(p * (1 - p)) : s.size
  })
  if (target > sum(w.map((wh, h) => (wh > 0 ? (hi[h] as number) : (lo[h] as number))))) {
    // Only zero-weight strata have room left: fill the others, then share the rest by size.
    lo = lo.map((l, h) => ((w[h] as number) > 0 ? (hi[h] as number) : l))
    w = w.map((wh, h) => (wh > 0 ? 0 : (hi[h] as number)))
  }
  const shares = waterFill(lo, hi, w, target)
  return largestRemainder(
    shares,
    hi,
    target,
    strata.map((s) => s.key),
  ).map((allocated, h) => ({
    key: (strata[h] as AllocationStratum).key,
    allocated,
  }))
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0)
}

/**
 * Continuous shares x_h = clamp(λ·w_h, lo_h, hi_h) with Σ x_h = target. The sum is continuous,
 * non-decreasing and piecewise linear in λ with breakpoints at lo_h/w_h and hi_h/w_h, so λ is
 * found exactly by locating the segment that crosses the target. Requires
 * Σ lo ≤ target ≤ Σ (w_h > 0 ? hi_h : lo_h).
 */
function waterFill(lo: number[], hi: number[], w: number[], target: number): number[] {
  const at = (lambda: number): number[] =>
    w.map((wh, h) => Math.min(hi[h] as number, Math.max(lo[h] as number, lambda * wh)))
  const points = [0]
  w.forEach((wh, h) => {
    if (wh > 0) points.push((lo[h] as number) / wh, (hi[h] as number) / wh)
  })
  points.sort((a, b) => a - b)
  const totals = points.map((p) => sum(at(p)))
  const i = totals.findIndex((t) => t >= target)
  if (i <= 0) return at(0)
  const a = points[i - 1] as number
  const fa = totals[i - 1] as number
  const b = points[i] as number
  const fb = totals[i] as number
  return at(a + ((target - fa) * (b - a)) / (fb - fa))
}

function largestRemainder(shares: number[], hi: number[], target: number, keys: string[]): number[] {
  // The small allowance stops a share computed as 4.9999999999 from being floored to 4.
  const parts = shares.map((x) => Math.floor(x + 1e-9))
  const remainders = shares.map((x, h) => Math.round((x - (parts[h] as number)) * REMAINDER_RESOLUTION))
  const order = shares
    .map((_, h) => h)
    .sort((a, b) => {
      const byRemainder = (remainders[b] as number) - (remainders[a] as number)
      if (byRemainder !== 0) return byRemainder
      const ka = keys[a] as string
      const kb = keys[b] as string
      return ka < kb ? -1 : ka > kb ? 1 : 0
    })
  let left = target - sum(parts)
  // One unit each in order suffices in exact arithmetic; cycling again only guards against
  // rounding having left the shares a unit short.
  for (let i = 0; left > 0; i++) {
    const h = order[i % order.length] as number
    if ((parts[h] as number) < (hi[h] as number)) {
      parts[h] = (parts[h] as number) + 1
      left--
    }
  }
  return parts
}

// ---------------------------------------------------------------------------------------------

export interface DrawStratum {
  key: string
  /** Case references in the stratum, in any order. */
  ids: readonly string[]
  /** How many to sample. */
  take: number
}

export interface DrawnStratum {
  key: string
  /** The sample, in draw order. */
  chosen: string[]
  /** Every remaining case, in the order replacements should be taken. */
  reserve: string[]
}

/**
 * Draws a stratified sample: per stratum, in input order, the first `take` cases of its seeded
 * order and the rest as ordered reserves. Taking a larger `take` later extends the sample
 * without changing any earlier pick, and each stratum's draw depends only on the seed, its key
 * and its ids.
 */
export function drawSample(o: { strata: readonly DrawStratum[]; seed: string | number }): DrawnStratum[] {
  seedText(o.seed) // a bad seed is an error even when there are no strata to draw
  const keys = new Set<string>()
  o.strata.forEach((s, i) => {
    if (keys.has(s.key)) throw new RangeError(`strata[${i}].key "${s.key}" is used twice`)
    keys.add(s.key)
    checkCount(s.take, `strata[${i}].take`)
    if (s.take > s.ids.length) {
      throw new RangeError(`strata[${i}].take (${s.take}) exceeds its ${s.ids.length} ids`)
    }
  })
  return o.strata.map((s, i) => {
    const order = shuffleSorted(s.ids, stratumSeed(o.seed, s.key), `strata[${i}].ids`)
    return { key: s.key, chosen: order.slice(0, s.take), reserve: order.slice(s.take) }
  })
}
