// The sampling frame of a round: every population case, in the order seededOrder sorts them, with
// its stratum, and the SHA-256 that pins it down. Built for a million cases in a fraction of a
// second: SQLite hands over the case references already sorted (from the unique index on
// round and case_ref) as one blob, and JavaScript never makes a string per case.
//
// population_sha256 is SHA-256 over UTF-8 text with one line per case, in case_ref order:
//
//     <case_ref> TAB <stratum> LF
//
// where <stratum> is the case's district or offence_group (whichever the draw is stratified by),
// or "all" for an unstratified draw. Those are the only fields the draw depends on. case_ref
// order is by UTF-16 code units, as seededOrder sorts; for the ASCII references the import allows
// that is plain byte order. To check it by hand:
//     sqlite3 qaf.sqlite "select case_ref || char(9) || district from population_cases
//       where round_id = 3 order by case_ref" | sha256sum
import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import { sortByCodeUnits } from '../../../audits/code-unit-sort.ts'
import { NO_AGENCY_STRATUM, WHOLE_POPULATION, type Stratification } from '../../../audits/sample-plan.ts'

/**
 * The population cannot be used as a sampling frame: a case reference with a line break (which
 * the import never lets in) or a duplicate would make the draw ambiguous.
 */
export class UnusableFrameError extends Error {}

export interface FrameStratum {
  key: string
  /** Ranks (places in case_ref order) of the stratum's cases, ascending. */
  members: Int32Array
}

export interface SamplingFrame {
  size: number
  sha256: string
  /** Strata sorted by key (UTF-16 code units). */
  strata: FrameStratum[]
  caseRef(rank: number): string
  populationCaseId(rank: number): number
}

/**
 * Column expressions are never taken from a request: only these can be named in the SQL. A case
 * whose file names no agency falls in a stratum of its own.
 */
const stratumColumn: Record<Exclude<Stratification, 'none'>, string> = {
  district: 'district',
  offence_group: 'offence_group',
  agency: `coalesce(nullif(trim(agency_ref), ''), '${NO_AGENCY_STRATUM}')`,
}

export function readSamplingFrame(
  client: Database.Database,
  roundId: number,
  stratifyBy: Stratification,
): SamplingFrame {
  // Raw, on the better-sqlite3 client: group_concat cast to a blob, read as one Buffer, for up to 1M cases.
  // One pass over the covering index (round_id, case_ref): references sorted, with their row ids.
  const head = client
    .prepare(
      'select count(*) as n, cast(group_concat(case_ref, char(10)) as blob) as refs, cast(group_concat(id) as ' +
        'blob) as ids from population_cases where round_id = ?',
    )
    .get(roundId) as { n: number; refs: Buffer | null; ids: Buffer | null }
  const n = head.n
  if (n === 0 || !head.refs || !head.ids) {
    return {
      size: 0,
      sha256: createHash('sha256').digest('hex'),
      strata: [],
      caseRef: outOfRange,
      populationCaseId: outOfRange,
    }
  }
  let refs = head.refs
  let ids = parseIds(head.ids, n)
  let lines = lineStarts(refs, n)
  // group_concat's order is SQLite's choice, not a promise: if the references did not come out in
  // seededOrder's order, sort them here (slower, same result).
  if (!inCodeUnitOrder(refs, lines)) ({ refs, ids, lines } = resorted(refs, ids))

  const rank = rankIndex(ids)
  const keys: string[] = []
  const stratumOf = new Uint16Array(n)
  if (stratifyBy === 'none') {
    keys.push(WHOLE_POPULATION)
  } else {
    // Raw, like the pass above: each stratum's ids as one Buffer, for up to 1M cases.
    const groups = client
      .prepare(
        `select ${stratumColumn[stratifyBy]} as key, count(*) as n, cast(group_concat(id) as blob) as ids from ` +
          `population_cases where round_id = ? group by 1`,
      )
      .all(roundId) as { key: string; n: number; ids: Buffer }[]
    groups.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    if (groups.length > 0xffff) throw new RangeError('too many strata')
    groups.forEach((g, s) => {
      keys.push(String(g.key))
      const members = parseIds(g.ids, g.n)
      for (let i = 0; i < members.length; i++) stratumOf[rank(members[i] as number)] = s
    })
  }

  const counts = new Int32Array(keys.length)
  for (let r = 0; r < n; r++) {
    const s = stratumOf[r] as number
    counts[s] = (counts[s] as number) + 1
  }
  const members = keys.map((_, s) => new Int32Array(counts[s] as number))
  const filled = new Int32Array(keys.length)
  for (let r = 0; r < n; r++) {
    const s = stratumOf[r] as number
    const at = filled[s] as number
    ;(members[s] as Int32Array)[at] = r
    filled[s] = at + 1
  }

  const frameRefs = refs
  const frameLines = lines
  const frameIds = ids
  return {
    size: n,
    sha256: frameHash(frameRefs, frameLines, stratumOf, keys),
    strata: keys.map((key, s) => ({ key, members: members[s] as Int32Array })),
    caseRef: (r) => frameRefs.toString('utf8', frameLines[r] as number, (frameLines[r + 1] as number) - 1),
    populationCaseId: (r) => frameIds[r] as number,
  }
}

function outOfRange(): never {
  throw new RangeError('the sampling frame is empty')
}

/** "12,13,9" (as bytes) as numbers, without making a string per id. */
function parseIds(blob: Buffer, n: number): Float64Array {
  const text = new Uint8Array(blob.buffer, blob.byteOffset, blob.length)
  const out = new Float64Array(n)
  let k = 0
  let v = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as number
    if (c === 44) {
      out[k++] = v
      v = 0
    } else v = v * 10 + (c - 48)
  }
  out[k++] = v
  if (k !== n) throw new Error(`expected ${n} ids, read ${k}`)
  return out
}

/** Where each line of the blob starts, plus one past the end (as if it ended with a newline). */
function lineStarts(blob: Buffer, n: number): Int32Array {
  const starts = new Int32Array(n + 1)
  let k = 1
  for (let at = blob.indexOf(10); at !== -1; at = blob.indexOf(10, at + 1)) starts[k++] = at + 1
  starts[n] = blob.length + 1
  if (k !== n) throw new UnusableFrameError('A case reference in the population contains a line break')
  return starts
}

/**
 * Whether the lines are strictly ascending in UTF-16 code unit order (so also unique). They are
 * compared as UTF-8 bytes, whose order is code point order; the two orders differ only where a
 * character from U+E000–U+FFFF (lead byte EE or EF) meets one beyond U+FFFF (lead byte F0–F4),
 * and such a pair is reported as out of order so the careful sort decides.
 */
function inCodeUnitOrder(buffer: Buffer, starts: Int32Array): boolean {
  const blob = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length)
  const n = starts.length - 1
  for (let r = 1; r < n; r++) {
    let a = starts[r - 1] as number
    const aEnd = (starts[r] as number) - 1
    let b = starts[r] as number
    const bEnd = (starts[r + 1] as number) - 1
    while (a < aEnd && b < bEnd && blob[a] === blob[b]) {
      a++
      b++
    }
    if (a === aEnd) {
      // Equal lines are a duplicate; a proper prefix sorts first.
      if (b === bEnd) return false
      continue
    }
    if (b === bEnd) return false
    const x = blob[a] as number
    const y = blob[b] as number
    if (x > y) return false
    if (x >= 0xee && y >= 0xf0 && x < 0xf0) return false
  }
  return true
}

function resorted(blob: Buffer, ids: Float64Array): { refs: Buffer; ids: Float64Array; lines: Int32Array } {
  const n = ids.length
  const refs = blob.toString('utf8').split('\n')
  const place = new Map<string, number>()
  refs.forEach((r, i) => {
    place.set(r, i)
  })
  const sorted = sortByCodeUnits(refs, (dup) => {
    throw new UnusableFrameError(`Case reference ${dup} appears twice in the population`)
  })
  const sortedIds = new Float64Array(n)
  sorted.forEach((r, i) => {
    sortedIds[i] = ids[place.get(r) as number] as number
  })
  const out = Buffer.from(sorted.join('\n'), 'utf8')
  return { refs: out, ids: sortedIds, lines: lineStarts(out, n) }
}

/** Rank lookup by row id: a dense array when the ids are close together (one import), else a map. */
function rankIndex(ids: Float64Array): (id: number) => number {
  let min = Infinity
  let max = -Infinity
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r] as number
    if (id < min) min = id
    if (id > max) max = id
  }
  const span = max - min + 1
  if (span <= 4 * ids.length + 1_000_000) {
    const dense = new Int32Array(span)
    for (let r = 0; r < ids.length; r++) dense[(ids[r] as number) - min] = r
    return (id) => dense[id - min] as number
  }
  const map = new Map<number, number>()
  for (let r = 0; r < ids.length; r++) map.set(ids[r] as number, r)
  return (id) => map.get(id) as number
}

function frameHash(refs: Buffer, starts: Int32Array, stratumOf: Uint16Array, keys: readonly string[]): string {
  const hash = createHash('sha256')
  // Plain Uint8Array views: element access on them is markedly faster than on Buffer.
  const src = new Uint8Array(refs.buffer, refs.byteOffset, refs.length)
  const tails = keys.map((k) => new Uint8Array(Buffer.from(`\t${k}\n`, 'utf8')))
  const chunk = new Uint8Array(1 << 20)
  let used = 0
  const n = starts.length - 1
  for (let r = 0; r < n; r++) {
    const start = starts[r] as number
    const end = (starts[r + 1] as number) - 1
    const tail = tails[stratumOf[r] as number] as Uint8Array
    const need = end - start + tail.length
    if (used + need > chunk.length) {
      hash.update(chunk.subarray(0, used))
      used = 0
    }
    if (need > chunk.length) {
      hash.update(src.subarray(start, end))
      hash.update(tail)
      continue
    }
    for (let i = start; i < end; i++) chunk[used++] = src[i] as number
    for (let i = 0; i < tail.length; i++) chunk[used++] = tail[i] as number
  }
  hash.update(chunk.subarray(0, used))
  return hash.digest('hex')
}
