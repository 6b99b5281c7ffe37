// Where checked rows go while a file is read. Into a database file they go to a writer thread
// with its own connection and one open transaction, so writing overlaps reading and checking
// (a million rows: each takes about half the time budget). An in-memory database (tests) has
// no second connection, so there the batches wait in memory and are written in one go at the end.
import { Worker } from 'node:worker_threads'
import type { Db } from '../../schema/database.ts'
import {
  checkRoundTarget,
  PopulationWriter,
  type BeginResult,
  type WriteMeta,
  type Written,
} from './population-writer.ts'
import { batchBuffers, type RowBatch } from './row-batches.ts'
import type { FromWriter, ToWriter } from './write-protocol.ts'

export type FinishResult = { kind: 'written'; written: Written } | Exclude<BeginResult, { kind: 'ready' }>

export interface PopulationSink {
  /** Whether the round takes a new population; when ready, rows may follow. */
  begin(): Promise<BeginResult>
  send(batch: RowBatch): void
  /** A promise to wait on while the writer catches up, or undefined when it has room. */
  room(): Promise<void> | undefined
  finish(minDay: number, maxDay: number): Promise<FinishResult>
  /** Nothing is to be saved: drop what was sent. Safe to call more than once. */
  abort(): Promise<void>
}

export function openSink(db: Db, meta: WriteMeta): PopulationSink {
  return db.$client.memory ? new InMemorySink(db, meta) : new ThreadSink(db.$client.name, meta)
}

class InMemorySink implements PopulationSink {
  private batches: RowBatch[] = []

  constructor(
    private readonly db: Db,
    private readonly meta: WriteMeta,
  ) {}

  async begin(): Promise<BeginResult> {
    const { target } = this.meta
    if (!('roundId' in target)) return { kind: 'ready' }
    const check = checkRoundTarget(this.db, target.roundId, this.meta.sha256)
    return check.kind === 'ready' ? { kind: 'ready' } : check
  }

  send(batch: RowBatch): void {
    this.batches.push(batch)
  }

  room(): undefined {
    return undefined
  }

  async finish(minDay: number, maxDay: number): Promise<FinishResult> {
    const batches = this.batches
    this.batches = []
    return this.db.$client
      .transaction((): FinishResult => {
        const writer = new PopulationWriter(this.db, this.meta)
        const begun = writer.begin()
        if (begun.kind !== 'ready') return begun
        for (const batch of batches) writer.insert(batch)
        return { kind: 'written', written: writer.finish(minDay, maxDay) }
      })
      .immediate()
  }

  async abort(): Promise<void> {
    this.batches = []
  }
}

const MAX_BATCHES_IN_FLIGHT = 2

/** Starts write-worker.ts; under tsx (a .ts module) the worker registers tsx before loading it. */
function startWorker(workerData: unknown): Worker {
  // The writer's garbage lives no longer than one batch: a small young generation keeps the
  // process's peak memory down (the import must stay under 400 MB for a million rows).
  const options = { workerData, resourceLimits: { maxYoungGenerationSizeMb: 8 } }
  // Compiled (dist/), the worker is JavaScript beside this module; from source, tsx loads the .ts.
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./write-worker.js', import.meta.url), options)
  const entry = new URL('./write-worker.ts', import.meta.url)
  const tsx = import.meta.resolve('tsx/esm/api')
  const code =
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return ` +
    `import(${JSON.stringify(entry.href)}) })`
  return new Worker(code, { ...options, eval: true })
}

class ThreadSink implements PopulationSink {
  private readonly worker: Worker
  private inFlight = 0
  private waiting: { resolve: () => void; reject: (e: Error) => void } | null = null
  private begun: Promise<BeginResult>
  private done: Promise<Written>
  private failure: Error | null = null
  private closed = false
  /** Set once nothing more is to be written (aborted, or committed): the thread's exit is expected. */
  private ending = false
  private settleBegun!: { resolve: (r: BeginResult) => void; reject: (e: Error) => void }
  private settleDone!: { resolve: (w: Written) => void; reject: (e: Error) => void }

  constructor(dbFile: string, meta: WriteMeta) {
    this.begun = new Promise((resolve, reject) => (this.settleBegun = { resolve, reject }))
    this.done = new Promise((resolve, reject) => (this.settleDone = { resolve, reject }))
    // Rejections are read where they matter; these keep an unread one from being reported as unhandled.
    this.begun.catch(() => {})
    this.done.catch(() => {})
    this.worker = startWorker({ dbFile, meta })
    this.worker.on('message', (m: FromWriter) => this.receive(m))
    this.worker.on('error', (err) => this.fail(err))
    this.worker.on('exit', () => {
      this.closed = true
      if (!this.ending) this.fail(new Error('the population writer stopped unexpectedly'))
    })
  }

  private receive(m: FromWriter): void {
    if (m.type === 'begun') {
      // A round that takes no population ends the thread straight away.
      if (m.result.kind !== 'ready') this.ending = true
      this.settleBegun.resolve(m.result)
    } else if (m.type === 'ack') {
      this.inFlight--
      if (this.waiting && this.inFlight < MAX_BATCHES_IN_FLIGHT) {
        this.waiting.resolve()
        this.waiting = null
      }
    } else if (m.type === 'done') {
      this.ending = true
      this.settleDone.resolve(m.written)
    } else this.fail(new Error(`writing the population failed: ${m.message}`))
  }

  private fail(err: Error): void {
    this.failure ??= err
    this.settleBegun.reject(this.failure)
    this.settleDone.reject(this.failure)
    this.waiting?.reject(this.failure)
    this.waiting = null
  }

  private post(message: ToWriter, transfer: ArrayBuffer[] = []): void {
    if (!this.closed) this.worker.postMessage(message, transfer)
  }

  begin(): Promise<BeginResult> {
    return this.begun
  }

  send(batch: RowBatch): void {
    if (this.failure || this.ending) return
    this.inFlight++
    this.post({ type: 'batch', batch }, batchBuffers(batch))
  }

  room(): Promise<void> | undefined {
    if (this.ending) return undefined
    if (this.failure) return Promise.reject(this.failure)
    if (this.inFlight < MAX_BATCHES_IN_FLIGHT) return undefined
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }))
  }

  async finish(minDay: number, maxDay: number): Promise<FinishResult> {
    if (this.failure) throw this.failure
    this.post({ type: 'finish', minDay, maxDay })
    return { kind: 'written', written: await this.done }
  }

  async abort(): Promise<void> {
    this.ending = true
    this.waiting?.resolve()
    this.waiting = null
    if (this.closed) return
    this.post({ type: 'abort' })
    await new Promise<void>((resolve) => {
      if (this.closed) resolve()
      else this.worker.once('exit', () => resolve())
    })
  }
}
