// What the demo rounds share: a plausible answer drawn from a round's rates, and the import of a
// generated population file through the real importer. Draws happen in a fixed order, so every demo
// database is the same.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Db } from '../schema/database.ts'
import { addWorkingDays, compareIso } from '../audits/calendar.ts'
import type { Rng } from '../audits/seeded-random.ts'
import type { Obligation } from '../audits/applicability.ts'
import { daysLateFor, type AnswerValue } from '../audits/answer-rules.ts'
import type { Scope } from '../server/scope.ts'
import { importPopulation } from '../server/population/importer.ts'

/** How one demo round's answers fall out. */
export interface AnswerProfile {
  /** Share of questions met. */
  met: number
  /** Widths of the partly met and not met bands above `met`; the rest to 0.97 is not evidenced. */
  partly: number
  notMet: number
  /** Share of timed duties kept to their limit. */
  onTime: number
  /** A late answer is 1 to `lateDays` working days past its due date. */
  lateDays: number
  /** An untimed answer is dated up to `untimedDays - 1` working days after its trigger. */
  untimedDays: number
  partialNotes: readonly string[]
  notApplicableNotes: readonly string[]
}

export function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.nextInt(list.length)] as T
}

/** A plausible answer for one obligation, never dated before its trigger or after today. */
export function plausibleAnswer(rng: Rng, o: Obligation, p: AnswerProfile, today: string): AnswerValue {
  const r = rng.next()
  const outcome =
    r < p.met
      ? 'met'
      : r < p.met + p.partly
        ? 'partially_met'
        : r < p.met + p.notMet
          ? 'not_met'
          : r < 0.97
            ? 'not_evidenced'
            : 'not_applicable'
  let evidenceDate: string | null = null
  if (outcome === 'met' || outcome === 'partially_met') {
    if (o.dueDate && o.timeLimitDays) {
      evidenceDate =
        rng.next() < p.onTime
          ? addWorkingDays(o.triggerDate, rng.nextInt(o.timeLimitDays + 1))
          : addWorkingDays(o.dueDate, 1 + rng.nextInt(p.lateDays))
    } else {
      evidenceDate = addWorkingDays(o.triggerDate, rng.nextInt(p.untimedDays))
    }
    if (compareIso(evidenceDate, today) > 0) evidenceDate = today
  }
  const note =
    outcome === 'partially_met'
      ? pick(rng, p.partialNotes)
      : outcome === 'not_applicable'
        ? pick(rng, p.notApplicableNotes)
        : null
  return {
    outcome,
    evidenceDate,
    note,
    timelinessOverride: null,
    overrideReason: null,
    dueDate: o.dueDate,
    daysLate: daysLateFor(o.dueDate, evidenceDate),
  }
}

/** Imports a generated population file into a round, as an admin uploading it would. */
export async function importDemoCsv(
  db: Db,
  admin: Scope,
  roundId: number,
  file: { seed: string; csv: string; what: string },
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-demo-'))
  try {
    const path = join(dir, `${file.seed}.csv`)
    writeFileSync(path, file.csv)
    const outcome = await importPopulation(db, {
      path,
      fileName: `${file.seed}.csv`,
      target: { roundId },
      actor: { id: admin.userId, email: admin.email },
    })
    if (outcome.kind !== 'imported')
      throw new Error(`${file.what} import failed: ${JSON.stringify(outcome).slice(0, 500)}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
