// Checked rows, packed into batches of typed arrays on their way to the database: numbers as
// numbers, repeated text (outcomes, agencies) once each, and nothing that holds on to the file
// text. A batch can be handed to the writer thread without copying its arrays, and a million
// rows held in batches take tens of megabytes where a million row objects would take hundreds.

import { isoOfDay } from './dates.ts'

export const FLAG_UNKNOWN = 2
export const BATCH_ROWS = 16_384

export interface RowBatch {
  size: number
  refs: string[]
  reported: Int32Array
  /** Two per row: offence group index, district index. */
  codes: Uint8Array
  /** The seven victim flags, two bits each in column order: 0 no, 1 yes, 2 not known. */
  flags: Int32Array
  /** Two per row: outcome text id, agency text id (-1 for none). */
  texts: Int32Array
  /**
   * Every row's events as JSON (`[{"type","date"}]`, date order), end to end as ASCII bytes;
   * eventEnd[i] is where row i's ends, and a row with no bytes has no events. Built here rather
   * than in the writer thread, which has the slower half of the work, and as bytes so that it
   * travels without a copy and is freed as soon as the writer is done with it.
   */
  events: Uint8Array
  eventEnd: Int32Array
  /** Texts first used in this batch; their ids run on from textBase. */
  newTexts: string[]
  textBase: number
}

/** The buffers a batch owns, for handing them to another thread without a copy. */
export function batchBuffers(b: RowBatch): ArrayBuffer[] {
  return [b.reported, b.codes, b.flags, b.texts, b.events, b.eventEnd].map((a) => a.buffer as ArrayBuffer)
}

/**
 * V8 keeps a substring as a view into the string it was cut from; a case reference cut from a
 * chunk of file text would keep that chunk alive. Concatenating and slicing makes a copy.
 */
export function ownCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1)
}

/**
 * The case references seen so far, for the duplicate check: an open-addressing hash table of
 * positions in the reference list, with each slot's hash kept beside it so a probe rarely
 * touches a string. A Map of a million strings costs most of a second; this a fraction.
 */
class RefIndex {
  private slots = new Int32Array(1 << 16)
  private hashes = new Int32Array(1 << 16)
  private used = 0

  constructor(private readonly refs: string[]) {}

  /** Position of an equal reference already in the list, or -1 after recording position i. */
  claim(i: number): number {
    if (2 * (this.used + 1) > this.slots.length) this.grow()
    const ref = this.refs[i] as string
    let h = 0x811c9dc5
    for (let c = 0; c < ref.length; c++) h = Math.imul(h ^ ref.charCodeAt(c), 0x01000193)
    // Spread FNV's weak low bits before masking (a murmur3 finaliser step).
    h ^= h >>> 16
    h = Math.imul(h, 0x85ebca6b)
    h ^= h >>> 13
    const mask = this.slots.length - 1
    let slot = h & mask
    for (;;) {
      const held = this.slots[slot] as number
      if (held === 0) {
        this.slots[slot] = i + 1
        this.hashes[slot] = h
        this.used++
        return -1
      }
      if (this.hashes[slot] === h && this.refs[held - 1] === ref) return held - 1
      slot = (slot + 1) & mask
    }
  }

  private grow(): void {
    const oldSlots = this.slots
    const oldHashes = this.hashes
    this.slots = new Int32Array(oldSlots.length * 2)
    this.hashes = new Int32Array(oldSlots.length * 2)
    const mask = this.slots.length - 1
    for (let k = 0; k < oldSlots.length; k++) {
      const held = oldSlots[k] as number
      if (held === 0) continue
      const h = oldHashes[k] as number
      let slot = h & mask
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask
      this.slots[slot] = held
      this.hashes[slot] = h
    }
  }
}

class BatchBuilder {
  size = 0
  readonly reported = new Int32Array(BATCH_ROWS)
  readonly codes = new Uint8Array(2 * BATCH_ROWS)
  readonly flags = new Int32Array(BATCH_ROWS)
  readonly texts = new Int32Array(2 * BATCH_ROWS)
  readonly eventEnd = new Int32Array(BATCH_ROWS)
  events = new Uint8Array(256 * BATCH_ROWS)
  eventBytes = 0

  /** Where this batch's rows start in the reference list, and its first new text id. */
  refStart = 0
  textBase = 0

  /** Empties the builder for the next batch; its arrays are reused, not reallocated. */
  reset(refStart: number, textBase: number): void {
    this.size = 0
    this.eventBytes = 0
    this.refStart = refStart
    this.textBase = textBase
  }

  /** Appends one row's events as JSON; pairs are [event index, day], prefixes from eventPrefixes. */
  addEvents(pairs: readonly number[], prefixes: readonly Uint8Array[]): void {
    const n = pairs.length / 2
    if (n === 0) return
    // Date order, then column order: one number per event (the day above the event index), so
    // the sort compares numbers and a row's few events need no comparator calls at all.
    if (sortKeys.length < n) sortKeys = new Int32Array(Math.max(n, 2 * sortKeys.length))
    const keys = sortKeys
    let need = 2
    for (let e = 0; e < n; e++) {
      const slot = pairs[2 * e] as number
      keys[e] = (pairs[2 * e + 1] as number) * EVENT_SLOTS + slot
      need += (prefixes[slot] as Uint8Array).length + 13
    }
    if (n <= 16) {
      for (let e = 1; e < n; e++) {
        const key = keys[e] as number
        let k = e
        for (; k > 0 && (keys[k - 1] as number) > key; k--) keys[k] = keys[k - 1] as number
        keys[k] = key
      }
    } else keys.subarray(0, n).sort()
    if (this.eventBytes + need > this.events.length) {
      const bigger = new Uint8Array(Math.max(this.events.length * 2, this.eventBytes + need))
      bigger.set(this.events.subarray(0, this.eventBytes))
      this.events = bigger
    }
    // Byte by byte: TypedArray.set costs more than the copy itself for a few bytes.
    const out = this.events
    let p = this.eventBytes
    out[p++] = 91 // [
    for (let e = 0; e < n; e++) {
      const key = keys[e] as number
      if (e > 0) out[p++] = 44 // ,
      const prefix = prefixes[key % EVENT_SLOTS] as Uint8Array
      for (let b = 0; b < prefix.length; b++) out[p++] = prefix[b] as number
      const iso = isoOfDay((key - (key % EVENT_SLOTS)) / EVENT_SLOTS)
      for (let c = 0; c < 10; c++) out[p++] = iso.charCodeAt(c)
      out[p++] = 34 // "
      out[p++] = 125 // }
    }
    out[p++] = 93 // ]
    this.eventBytes = p
  }
}

/** More than the number of event columns: a sort key is day × EVENT_SLOTS + event index. */
const EVENT_SLOTS = 64
let sortKeys = new Int32Array(64)

/** Each event's JSON up to its date: `{"type":"<name>","date":"`. */
function eventPrefixes(eventNames: readonly string[]): Uint8Array[] {
  if (eventNames.length > EVENT_SLOTS) throw new RangeError('too many event columns')
  const encoder = new TextEncoder()
  return eventNames.map((name) => encoder.encode(`{"type":${JSON.stringify(name)},"date":"`))
}

/**
 * Collects checked rows: every case reference (for the duplicate check, even after a problem)
 * and, until the first problem, the rows' data, handed on in batches.
 */
export class RowCollector {
  rows = 0
  minDay = Number.POSITIVE_INFINITY
  maxDay = Number.NEGATIVE_INFINITY
  private readonly refs: string[] = []
  private refLines = new Int32Array(1024)
  private readonly refIndex = new RefIndex(this.refs)
  private readonly texts: string[] = []
  private readonly textIds = new Map<string, number>()
  // One builder, reused: a new one per batch would churn several megabytes of buffers each time.
  private readonly batch = new BatchBuilder()
  private keeping = true

  private readonly eventPrefixes: Uint8Array[]

  constructor(
    eventNames: readonly string[],
    private readonly onBatch: (batch: RowBatch) => void,
  ) {
    this.eventPrefixes = eventPrefixes(eventNames)
  }

  /** Records a row's case reference; returns the line it already appeared on, or -1. */
  addRef(caseRef: string, line: number): number {
    const i = this.refs.length
    this.refs.push(ownCopy(caseRef))
    const earlier = this.refIndex.claim(i)
    if (earlier >= 0) {
      this.refs.pop()
      return this.refLines[earlier] as number
    }
    if (i >= this.refLines.length) {
      const bigger = new Int32Array(this.refLines.length * 2)
      bigger.set(this.refLines)
      this.refLines = bigger
    }
    this.refLines[i] = line
    return -1
  }

  private textId(s: string | undefined): number {
    if (s === undefined) return -1
    let id = this.textIds.get(s)
    if (id === undefined) {
      id = this.texts.length
      const copy = ownCopy(s)
      this.texts.push(copy)
      this.textIds.set(copy, id)
    }
    return id
  }

  /** Adds the data of the row whose case reference was added last. */
  add(
    reportedDay: number,
    offence: number,
    district: number,
    flagBits: number,
    outcome: string | undefined,
    agencyRef: string | undefined,
    events: readonly number[],
  ): void {
    if (!this.keeping) return
    const b = this.batch
    if (b.size === 0) b.reset(this.refs.length - 1, this.texts.length)
    const i = b.size
    b.reported[i] = reportedDay
    if (reportedDay < this.minDay) this.minDay = reportedDay
    if (reportedDay > this.maxDay) this.maxDay = reportedDay
    b.codes[2 * i] = offence
    b.codes[2 * i + 1] = district
    b.flags[i] = flagBits
    b.texts[2 * i] = this.textId(outcome)
    b.texts[2 * i + 1] = this.textId(agencyRef)
    b.addEvents(events, this.eventPrefixes)
    b.eventEnd[i] = b.eventBytes
    b.size = i + 1
    this.rows++
    if (b.size === BATCH_ROWS) this.flush()
  }

  /** Hands on the rows collected since the last batch. */
  flush(): void {
    const b = this.batch
    if (b.size === 0 || !this.keeping) return
    this.onBatch({
      size: b.size,
      refs: this.refs.slice(b.refStart, b.refStart + b.size),
      reported: b.reported.slice(0, b.size),
      codes: b.codes.slice(0, 2 * b.size),
      flags: b.flags.slice(0, b.size),
      texts: b.texts.slice(0, 2 * b.size),
      events: b.events.slice(0, b.eventBytes),
      eventEnd: b.eventEnd.slice(0, b.size),
      newTexts: this.texts.slice(b.textBase),
      textBase: b.textBase,
    })
    b.size = 0
  }

  /** Stops collecting row data: once a file has a problem none of it will be saved. */
  discardRows(): void {
    this.keeping = false
    this.batch.size = 0
  }
}
