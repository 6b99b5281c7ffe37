// Letters that stand for agencies in the anonymised comparison ("Agency A", "Agency B"). Within a
// round the letters are fixed, so a reader can follow "Agency C" down a page and across its
// exports; between rounds they are reshuffled, so a letter cannot be tracked from one round to the
// next and worked back to a name. The order comes from the seeded draw of audits/sampling.ts: the
// caller passes a seed per round that a reader cannot guess (the server derives it from a secret),
// since a seed anyone could compute would let anyone recompute the letters.
import { seededOrder } from './sampling.ts'

/** "A" … "Z", then "AA", "AB" … (spreadsheet column style), for position 0, 1, 2 … */
export function letterAt(position: number): string {
  if (!Number.isSafeInteger(position) || position < 0)
    throw new RangeError(`position must be a non-negative integer, got ${position}`)
  let out = ''
  let n = position
  do {
    out = String.fromCharCode(65 + (n % 26)) + out
    n = Math.floor(n / 26) - 1
  } while (n >= 0)
  return out
}

/**
 * The letter of each agency in one round: a seeded random permutation of the agencies, lettered
 * in that order. Depends only on the set of ids and the seed (not on the order ids are given in).
 */
export function comparisonLetters(agencyIds: readonly number[], roundSeed: string): Map<number, string> {
  const unique = [...new Set(agencyIds)]
  for (const id of unique)
    if (!Number.isSafeInteger(id)) throw new RangeError(`agency ids must be integers, got ${String(id)}`)
  const order = seededOrder(
    unique.map((id) => String(id)),
    roundSeed,
  )
  return new Map(order.map((id, i) => [Number(id), letterAt(i)]))
}

/** The label the comparison shows for an agency other than the reader's own. */
export function anonymousLabel(letter: string): string {
  return `Agency ${letter}`
}
