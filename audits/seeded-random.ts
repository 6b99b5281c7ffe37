// The seeded generator behind every draw: cyrb128 of the seed text as the state of xoshiro128**,
// and unbiased integers from it by rejection (steps 1 to 3 and 5 of the procedure at the top of
// sampling.ts).

export interface Rng {
  /** Uniform in [0, 1), with 53 random bits. */
  next(): number
  /** Uniform integer in [0, maxExclusive); maxExclusive an integer from 1 to 2³². */
  nextInt(maxExclusive: number): number
}

const TWO_32 = 0x100000000

export function seedText(seed: string | number): string {
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

export function uniformInt(u32: () => number, max: number): number {
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
