// Writes a checked population. The caller holds one transaction around begin(), every insert()
// and finish(), so the round (when the import creates it), the cases (replacing earlier ones),
// the import record and the audit-log entry are written all together or not at all.
import { eq } from 'drizzle-orm'
import type { Statement } from 'better-sqlite3'
import { agencies, populationCases, populationImports, roundAgencies, rounds } from '../../schema/index.ts'
import type { Db } from '../../schema/database.ts'
import { recordAudit } from '../audit-log.ts'
import { districtKeys, flagColumns, offenceGroupKeys } from './columns.ts'
import { isoOfDay } from './dates.ts'
import { FLAG_UNKNOWN, type RowBatch } from './row-batches.ts'
import { replaceRefusal, roundPopulationState, type RoundPopulationState } from './round-state.ts'

export type ImportTarget = { roundId: number } | { newRoundName: string }
export type Actor = { id: number; email: string } | null

export interface WriteMeta {
  target: ImportTarget
  fileName: string
  sha256: string
  actor: Actor
  now: string
}

export type BeginResult =
  | { kind: 'ready' }
  | { kind: 'unchanged'; roundId: number; rows: number; importedAt: string }
  | { kind: 'refused'; message: string }

/**
 * Whether a round may take this file: refused (gone, or past the point of replacing), unchanged (the
 * same file again), or ready, with the round's state. Checked before the upload is read and again
 * inside the writing transaction.
 */
export function checkRoundTarget(
  db: Db,
  roundId: number,
  sha256: string,
): Exclude<BeginResult, { kind: 'ready' }> | { kind: 'ready'; state: RoundPopulationState } {
  const state = roundPopulationState(db, roundId)
  if (!state) return { kind: 'refused', message: 'This audit round no longer exists.' }
  if (state.lastImport?.fileSha256 === sha256)
    return {
      kind: 'unchanged',
      roundId: state.id,
      rows: state.lastImport.rows,
      importedAt: state.lastImport.importedAt,
    }
  const refusal = replaceRefusal(state)
  return refusal ? { kind: 'refused', message: refusal } : { kind: 'ready', state }
}

export interface Written {
  roundId: number
  rows: number
  replaced: number
  importId: number
}

const columns = [
  'round_id',
  'case_ref',
  'reported_on',
  'offence_group',
  'district',
  ...flagColumns.map((f) => f.sql),
  'outcome',
  'agency_ref',
  'events',
]
// Binding parameters is much of the cost of writing a row, so the seven flags travel as one
// number and SQLite unpacks them. With CASE rather than nullif(): any function call in the statement
// (it could raise an error) makes SQLite keep a statement journal, a copy of every page each
// statement touches; on a million rows that was about 480,000 page writes to a temporary file.
const unpackFlags = flagColumns
  .map((_f, i) => {
    const flag = `((column5 >> ${2 * i}) & 3)`
    return `case ${flag} when ${FLAG_UNKNOWN} then null else ${flag} end`
  })
  .join(', ')
// Offence group and district travel as their list positions, which CASE turns back into keys: a
// number binds for less than a string, and the lists are the code's own, never the file's.
const keyOf = (column: string, keys: readonly string[]) =>
  `case ${column} ${keys.map((k, i) => `when ${i} then '${k.replaceAll("'", "''")}'`).join(' ')} end`
const WIDTH = 8
// Measured on a million rows: 200-row statements beat single rows and 50-row ones; 1,000-row ones
// were no better.
const ROWS_PER_STATEMENT = 200

// OR ROLLBACK: a failed insert rolls back the whole transaction (a failed import is rolled back
// whole anyway), which spares the statement journal that ABORT, the default, needs to undo just
// one statement of a multi-row write. The events JSON comes as bytes (no JS string, no UTF-8
// conversion in the binding) and is stored as the text it is.
function insertSql(roundId: number, rowCount: number): string {
  const values = new Array(rowCount).fill(`(${new Array(WIDTH).fill('?').join(',')})`).join(',')
  const offence = keyOf('column3', offenceGroupKeys)
  const district = keyOf('column4', districtKeys)
  return (
    `insert or rollback into population_cases (${columns.join(',')}) select ${Math.trunc(roundId)}, ` +
    `column1, column2, ${offence}, ${district}, ${unpackFlags}, column6, column7, cast(column8 as text) ` +
    `from (values ${values})`
  )
}

export class PopulationWriter {
  private roundId = 0
  private replaced = 0
  private rows = 0
  private before: { fileName: string; sha256: string; rows: number } | null = null
  private statement: Statement | null = null
  private readonly texts: string[] = []
  private readonly params: (string | number | Buffer | null)[] = new Array(ROWS_PER_STATEMENT * WIDTH)
  private filled = 0

  constructor(
    private readonly db: Db,
    private readonly meta: WriteMeta,
  ) {}

  /** Checks the round again (inside the transaction), creates it if asked, clears its old cases. */
  begin(): BeginResult {
    const { db, meta } = this
    if ('roundId' in meta.target) {
      const check = checkRoundTarget(db, meta.target.roundId, meta.sha256)
      if (check.kind !== 'ready') return check
      const { state } = check
      this.roundId = state.id
      if (state.lastImport)
        this.before = {
          fileName: state.lastImport.fileName,
          sha256: state.lastImport.fileSha256,
          rows: state.lastImport.rows,
        }
    } else {
      // The period comes from the data, known only at the end: finish() sets it.
      const today = meta.now.slice(0, 10)
      this.roundId = db
        .insert(rounds)
        .values({
          name: meta.target.newRoundName,
          edition: '2020',
          periodFrom: today,
          periodTo: today,
          status: 'draft',
          createdAt: meta.now,
          createdBy: meta.actor?.id ?? null,
        })
        .returning({ id: rounds.id })
        .get().id
    }
    this.replaced = db.delete(populationCases).where(eq(populationCases.roundId, this.roundId)).run().changes
    // Raw prepared statement: the import's hot loop (up to 1M rows), 200 rows a statement, flags unpacked in SQL.
    this.statement = db.$client.prepare(insertSql(this.roundId, ROWS_PER_STATEMENT))
    return { kind: 'ready' }
  }

  insert(batch: RowBatch): void {
    const statement = this.statement
    if (!statement) throw new Error('PopulationWriter.insert before begin')
    for (let t = 0; t < batch.newTexts.length; t++) this.texts[batch.textBase + t] = batch.newTexts[t] as string
    const params = this.params
    const texts = this.texts
    // The events JSON is ASCII (event names and dates): Latin-1 is the quickest way to text.
    const events = Buffer.from(batch.events.buffer, batch.events.byteOffset, batch.events.byteLength)
    for (let i = 0; i < batch.size; i++) {
      let p = this.filled * WIDTH
      const outcome = batch.texts[2 * i] as number
      const agency = batch.texts[2 * i + 1] as number
      params[p++] = batch.refs[i] as string
      params[p++] = isoOfDay(batch.reported[i] as number)
      params[p++] = batch.codes[2 * i] as number
      params[p++] = batch.codes[2 * i + 1] as number
      params[p++] = batch.flags[i] as number
      params[p++] = outcome < 0 ? null : (texts[outcome] as string)
      params[p++] = agency < 0 ? null : (texts[agency] as string)
      const from = i === 0 ? 0 : (batch.eventEnd[i - 1] as number)
      const to = batch.eventEnd[i] as number
      params[p] = to === from ? null : events.subarray(from, to)
      if (++this.filled === ROWS_PER_STATEMENT) {
        statement.run(params)
        this.rows += this.filled
        this.filled = 0
      }
    }
  }

  /** Writes what is left, the round's period (for a new round), the import record and the log. */
  finish(minDay: number, maxDay: number): Written {
    const { db, meta } = this
    if (this.filled > 0) {
      // Raw, as in begin(): the hot loop's statement for the rows left over.
      db.$client.prepare(insertSql(this.roundId, this.filled)).run(this.params.slice(0, this.filled * WIDTH))
      this.rows += this.filled
      this.filled = 0
    }
    const roundId = this.roundId
    if (!('roundId' in meta.target)) {
      const period = { periodFrom: isoOfDay(minDay), periodTo: isoOfDay(maxDay) }
      db.update(rounds).set(period).where(eq(rounds.id, roundId)).run()
      const inScope = db.select({ id: agencies.id }).from(agencies).where(eq(agencies.active, true)).all()
      if (inScope.length > 0)
        db.insert(roundAgencies)
          .values(inScope.map((a) => ({ roundId, agencyId: a.id })))
          .run()
      recordAudit(
        db,
        {
          actor: meta.actor,
          action: 'round_created',
          entity: 'round',
          entityId: roundId,
          after: {
            name: meta.target.newRoundName,
            edition: '2020',
            ...period,
            status: 'draft',
            agencies: inScope.length,
            via: 'population import',
          },
        },
        meta.now,
      )
    }
    const importId = db
      .insert(populationImports)
      .values({
        roundId,
        fileName: meta.fileName,
        fileSha256: meta.sha256,
        rows: this.rows,
        importedAt: meta.now,
        importedBy: meta.actor?.id ?? null,
      })
      .returning({ id: populationImports.id })
      .get().id
    recordAudit(
      db,
      {
        actor: meta.actor,
        action: 'population_imported',
        entity: 'round',
        entityId: roundId,
        before: this.before,
        after: { fileName: meta.fileName, sha256: meta.sha256, rows: this.rows, replacedRows: this.replaced },
      },
      meta.now,
    )
    return { roundId, rows: this.rows, replaced: this.replaced, importId }
  }
}
