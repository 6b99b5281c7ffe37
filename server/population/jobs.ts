// Browser imports run in the background so the upload can answer at once and the page can
// show progress. Jobs live in memory (one server process): results stay available for an hour,
// which is long enough to read them and download the problems, and a restart forgets them.
import { randomBytes } from 'node:crypto'
import type { ImportOutcome, ImportProgress } from './importer.ts'

export interface ImportJob {
  id: string
  roundId: number
  fileName: string
  bytes: number
  startedAt: string
  finishedAt: string | null
  progress: ImportProgress | null
  outcome: ImportOutcome | null
  /** Set when the import failed for a reason that is not the file's fault. */
  failed: boolean
}

const KEEP_MS = 60 * 60 * 1000
const MAX_JOBS = 50

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>()

  constructor(private readonly onError: (err: unknown, job: ImportJob) => void = () => {}) {}

  get(id: string): ImportJob | undefined {
    return this.jobs.get(id)
  }

  runningFor(roundId: number): ImportJob | undefined {
    for (const job of this.jobs.values()) if (job.roundId === roundId && !job.finishedAt) return job
    return undefined
  }

  /** Starts `run` in the background and returns its job at once. */
  start(
    details: { roundId: number; fileName: string; bytes: number },
    run: (onProgress: (p: ImportProgress) => void) => Promise<ImportOutcome>,
    cleanup: () => Promise<void> = async () => {},
  ): ImportJob {
    this.prune()
    const job: ImportJob = {
      id: randomBytes(12).toString('hex'),
      ...details,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: null,
      outcome: null,
      failed: false,
    }
    this.jobs.set(job.id, job)
    void (async () => {
      try {
        job.outcome = await run((p) => (job.progress = p))
      } catch (err) {
        job.failed = true
        this.onError(err, job)
      } finally {
        job.finishedAt = new Date().toISOString()
        await cleanup().catch((err: unknown) => this.onError(err, job))
      }
    })()
    return job
  }

  private prune(): void {
    const now = Date.now()
    for (const [id, job] of this.jobs) {
      if (job.finishedAt && now - Date.parse(job.finishedAt) > KEEP_MS) this.jobs.delete(id)
    }
    // Still too many: forget the oldest finished ones.
    for (const [id, job] of this.jobs) {
      if (this.jobs.size < MAX_JOBS) break
      if (job.finishedAt) this.jobs.delete(id)
    }
  }
}
