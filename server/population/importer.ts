// The population import, shared by the browser upload and the command line: hash the file, stop
// early when it is already this round's population or the round is closed to a new one, check
// every row while streaming the file, and commit the rows only when the whole file had no
// problem at all. Rows are written as they are checked (population-sink.ts) inside one
// transaction that is rolled back at the first problem.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { agencies } from '../../schema/index.ts'
import type { Db } from '../../schema/database.ts'
import { CsvFormatError } from './csv-format.ts'
import { readCsv } from './csv-reader.ts'
import { hashFile } from './file-hash.ts'
import { PopulationFileCheck, type PeriodRule } from './file-check.ts'
import { parseCaseDay } from './dates.ts'
import { recordAudit } from '../audit-log.ts'
import type { Actor, ImportTarget } from './population-writer.ts'
import { openSink } from './population-sink.ts'
import type { Problem } from './problems.ts'
import { RowCollector } from './row-batches.ts'
import { populationColumns } from './columns.ts'
import { agencyNames, buildColumnSchemas } from './row-schema.ts'
import { replaceRefusal, roundPopulationState } from './round-state.ts'

export type { Actor, ImportTarget }

export interface ImportProgress {
  phase: 'checking' | 'saving'
  rowsRead: number
  bytesRead: number
  totalBytes: number
}

export interface ImportRequest {
  /** Path of the CSV file on disk. */
  path: string
  /** Name to record and show (the uploaded file's own name, or the path's base name). */
  fileName: string
  target: ImportTarget
  actor: Actor
  /** Known already when the file was hashed on the way in. */
  sha256?: string
  onProgress?: (progress: ImportProgress) => void
  /**
   * Cases reported outside an existing round's period: 'stop' (the default) lists each as a
   * problem and imports nothing; 'drop' leaves them out and imports the rest. Either way, when
   * there are any, the choice and the count go in the audit log.
   */
  outsidePeriod?: 'stop' | 'drop'
}

export type ImportOutcome =
  | {
      kind: 'imported'
      roundId: number
      rows: number
      replaced: number
      importId: number
      sha256: string
      milliseconds: number
      leftOut: number
      period: { from: string; to: string } | null
    }
  | { kind: 'unchanged'; roundId: number; rows: number; importedAt: string; sha256: string }
  | { kind: 'refused'; messages: string[] }
  | { kind: 'problems'; problems: Problem[]; count: number; rowsRead: number; outsidePeriod: number }

export const importMessages = {
  empty: 'The file is empty. It needs a first line of column names and then one line per case.',
  noRows: 'The file has a line of column names but no cases under it.',
  noRound: 'There is no audit round with that number.',
  allOutside:
    "Every case in the file was reported outside the round's period, so there is nothing to import. Check the " +
    'file is for this round.',
}

const eventColumnNames = populationColumns.filter((c) => c.kind === 'event').map((c) => c.name)

// Small chunks keep each piece of decoded text in V8's young generation, where it is freed
// cheaply; megabyte chunks pile up in the old generation and double the peak memory.
const CHUNK_BYTES = 64 * 1024

export async function importPopulation(db: Db, request: ImportRequest): Promise<ImportOutcome> {
  const started = performance.now()
  const sha256 = request.sha256 ?? (await hashFile(request.path))
  const { target } = request
  let period: PeriodRule | null = null
  let periodIso: { from: string; to: string } | null = null

  if ('roundId' in target) {
    const state = roundPopulationState(db, target.roundId)
    if (!state) return { kind: 'refused', messages: [importMessages.noRound] }
    periodIso = { from: state.periodFrom, to: state.periodTo }
    period = {
      from: parseCaseDay(state.periodFrom),
      to: parseCaseDay(state.periodTo),
      outside: request.outsidePeriod ?? 'stop',
    }
    if (state.lastImport?.fileSha256 === sha256) {
      return {
        kind: 'unchanged',
        roundId: state.id,
        rows: state.lastImport.rows,
        importedAt: state.lastImport.importedAt,
        sha256,
      }
    }
    const refusal = replaceRefusal(state)
    if (refusal) return { kind: 'refused', messages: [refusal] }
  }

  const sink = openSink(db, {
    target,
    fileName: request.fileName,
    sha256,
    actor: request.actor,
    now: new Date().toISOString(),
  })
  try {
    const begun = await sink.begin()
    if (begun.kind === 'refused') return { kind: 'refused', messages: [begun.message] }
    if (begun.kind === 'unchanged') return { ...begun, sha256 }

    const known = agencyNames(db.select({ name: agencies.name, shortName: agencies.shortName }).from(agencies).all())
    const rows = new RowCollector(eventColumnNames, (batch) => sink.send(batch))
    const check = new PopulationFileCheck(buildColumnSchemas(known), known, rows, () => void sink.abort(), period)
    const logOutside = (roundId: number) => {
      if (check.outsidePeriod === 0 || !period || !periodIso) return
      recordAudit(db, {
        actor: request.actor,
        action: period.outside === 'drop' ? 'population_outside_period_dropped' : 'population_outside_period_stopped',
        entity: 'round',
        entityId: roundId,
        after: {
          fileName: request.fileName,
          sha256,
          choice: period.outside,
          rowsOutsidePeriod: check.outsidePeriod,
          periodFrom: periodIso.from,
          periodTo: periodIso.to,
        },
      })
    }
    const totalBytes = (await stat(request.path)).size
    const progress = (phase: ImportProgress['phase'], bytesRead: number) =>
      request.onProgress?.({ phase, rowsRead: check.rowsRead, bytesRead, totalBytes })
    try {
      await readCsv(createReadStream(request.path, { highWaterMark: CHUNK_BYTES }), check, {
        onBytes: (bytes) => progress('checking', bytes),
        afterChunk: () => sink.room(),
      })
    } catch (err) {
      if (err instanceof CsvFormatError) return { kind: 'refused', messages: [err.message] }
      throw err
    }
    if (check.headerMessages) return { kind: 'refused', messages: check.headerMessages }
    if (!check.sawHeader) return { kind: 'refused', messages: [importMessages.empty] }
    if (check.problems.count > 0) {
      // Rolled back first: the writer may hold the database's write lock until then.
      await sink.abort()
      if ('roundId' in target) logOutside(target.roundId)
      return {
        kind: 'problems',
        problems: check.problems.kept,
        count: check.problems.count,
        rowsRead: check.rowsRead,
        outsidePeriod: check.outsidePeriod,
      }
    }
    if (check.rowsRead === 0) return { kind: 'refused', messages: [importMessages.noRows] }
    if (check.rowsRead === check.outsidePeriod) return { kind: 'refused', messages: [importMessages.allOutside] }

    rows.flush()
    progress('saving', totalBytes)
    const finished = await sink.finish(rows.minDay, rows.maxDay)
    if (finished.kind === 'refused') return { kind: 'refused', messages: [finished.message] }
    if (finished.kind === 'unchanged') return { ...finished, sha256 }
    logOutside(finished.written.roundId)
    return {
      kind: 'imported',
      ...finished.written,
      sha256,
      milliseconds: performance.now() - started,
      leftOut: check.outsidePeriod,
      period: periodIso,
    }
  } finally {
    // Whatever was not committed is rolled back (a no-op after a commit).
    await sink.abort()
  }
}
