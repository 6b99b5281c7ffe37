// What one audited autosave write is made of, each part timed on its own on a copy of the bench
// database (so nothing here changes the database the servers use), in CPU microseconds per save:
//   whole      saveAnswer itself, as the route calls it (no HTTP, session or rendering)
//   read       the stored answer, read to check its version (loadAnswer)
//   answer     the UPDATE ... RETURNING of the answer, with its data_version trigger
//   answerTrigger  what that trigger adds (the same UPDATE with the trigger dropped, subtracted)
//   auditChain the audit log's last hash, read to chain the new entry to it
//   auditHash  the entry's JSON and its SHA-256
//   auditInsert the INSERT of the entry (recordAudit less the two above)
//   caseTouch  the UPDATE of the case's status and time, with its trigger
//   caseTrigger what that trigger adds
//   commit     whole less the same saves run inside one open transaction: the real save's BEGIN
//              IMMEDIATE and COMMIT (its WAL pages written; WAL, synchronous=NORMAL: no fsync
//              except at checkpoints); oneRowCommit: the same around a one-row write
//   rest       whole less the parts: drizzle's transaction wrapper, snapshots, classification,
//              and the automatic WAL checkpoints (wholeWithoutAutoCheckpoint shows their share)
// The parts other than `whole` run inside one open transaction, so they exclude the commit.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { openDatabase, type Db } from '../schema/database.ts'
import { sampleCases, users } from '../schema/index.ts'
import { recordAudit } from '../server/audit-log.ts'
import { loadCaseContext } from '../server/services/review/case-context.ts'
import { loadAnswer, statements } from '../server/services/review/queries.ts'
import { saveAnswer } from '../server/services/review/writes.ts'

// CPU time of this process (user + system), not wall time: on a shared, overloaded machine the
// wall clock mostly measures waiting for a core. Nothing else runs in the process meanwhile.
function perOp(n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(200, n); i++) fn(i)
  const started = process.cpuUsage()
  for (let i = 0; i < n; i++) fn(i)
  const used = process.cpuUsage(started)
  return (used.user + used.system) / n
}

const r1 = (x: number) => Math.round(x * 10) / 10

export function writeCost(source: Db, saves: number): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-write-cost-'))
  const file = join(dir, 'copy.sqlite')
  source.$client.exec(`VACUUM INTO '${file}'`)
  const db = openDatabase(file)
  try {
    const user = db.select().from(users).where(eq(users.email, 'auditor@qaf.example')).get()
    if (!user) throw new Error('no auditor')
    const scope = {
      userId: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      agencyId: user.agencyId,
    }
    const caseRow = db
      .select({ id: sampleCases.id })
      .from(sampleCases)
      .where(eq(sampleCases.status, 'in_progress'))
      .orderBy(sampleCases.id)
      .all()
      .at(-1)
    if (!caseRow) throw new Error('no case in progress (the bench saves first)')
    // Loaded as a request would be after the HTTP runs: the case is already in progress, so a
    // save does not also record the case starting (as the first save of a real case does).
    const ctx = loadCaseContext(db, scope, caseRow.id)
    const items = ctx?.applicability?.items
    if (!ctx || !items) throw new Error('bench case has no obligations')
    const stored = new Map(items.map((o) => [o.key, loadAnswer(db, caseRow.id, o.key)]))
    const value = (i: number) => {
      const o = items[i % items.length]!
      const before = stored.get(o.key)
      return {
        o,
        before,
        value: {
          outcome: before?.outcome === 'met' ? 'not_met' : 'met',
          evidenceDate: null,
          note: null,
          timelinessOverride: null,
          overrideReason: null,
          dueDate: o.dueDate,
          daysLate: null,
        } as const,
      }
    }
    const save = (i: number) => {
      const { o, before, value: v } = value(i)
      const result = saveAnswer(
        db,
        scope,
        ctx.rec,
        { obligation: o, value: v, expectedVersion: before?.version ?? 0, agencyId: before?.agencyId ?? null },
        null,
      )
      if (result.kind !== 'saved') throw new Error(`bench save was ${result.kind}`)
      stored.set(o.key, result.row)
    }
    const whole = perOp(saves, save)
    // The same saves inside one open transaction (each save's own becomes a savepoint): what is
    // left is the work before the commit, so the difference is the commit of a real save.
    db.$client.exec('BEGIN IMMEDIATE')
    const wholeUncommitted = perOp(saves, save)
    db.$client.exec('COMMIT')
    // The same with SQLite's automatic checkpoints off: what copying the WAL back into the file
    // (every 1,000 WAL pages, with an fsync) adds to the saves that happen to trigger it. The
    // WAL's growth over these saves gives the pages each commit writes.
    const sqlite0 = db.$client
    sqlite0.pragma('wal_checkpoint(TRUNCATE)')
    sqlite0.pragma('wal_autocheckpoint = 0')
    const wholeNoCheckpoint = perOp(saves, save)
    const walFrames = (sqlite0.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>)[0]?.log ?? Number.NaN
    const checkpointStarted = process.hrtime.bigint()
    sqlite0.pragma('wal_checkpoint(TRUNCATE)')
    // Wall time here: most of a checkpoint is waiting for the disk (fsync).
    const checkpointMs = Number(process.hrtime.bigint() - checkpointStarted) / 1e6
    sqlite0.pragma('wal_autocheckpoint = 1000')

    const sqlite = db.$client
    const s = statements(db)
    const now = new Date().toISOString()
    const inOneTransaction = <T>(fn: () => T): T => {
      sqlite.exec('BEGIN IMMEDIATE')
      try {
        return fn()
      } finally {
        sqlite.exec('ROLLBACK')
      }
    }
    const answerIds = [...stored.values()].filter((a) => a !== null).map((a) => a!)
    const updateAnswer = (i: number) => {
      const a = answerIds[i % answerIds.length]!
      s.updateAnswer.get({
        ...a,
        outcome: i % 2 ? 'met' : 'not_met',
        version: a.version + 1,
        updatedBy: scope.userId,
        updatedAt: now,
        id: a.id,
      })
    }
    const touch = () => s.touchCase.run({ id: caseRow.id, status: 'in_progress', updatedAt: now })
    const snapshot = JSON.stringify({
      case: caseRow.id,
      marker: 'primary',
      key: 'R6.5#1',
      item: 'R6.5',
      agency: 1,
      outcome: 'met',
      evidenceDate: null,
      dueDate: '2023-03-08',
      daysLate: null,
      timelinessOverride: null,
      overrideReason: null,
      note: null,
      version: 12,
    })
    const lastHash = sqlite.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1')
    const parts = inOneTransaction(() => ({
      read: perOp(saves, (i) => loadAnswer(db, caseRow.id, items[i % items.length]!.key)),
      answer: perOp(saves, updateAnswer),
      auditChain: perOp(saves, () => lastHash.get()),
      auditHash: perOp(saves, () =>
        createHash('sha256')
          .update(
            JSON.stringify([
              '0'.repeat(64),
              now,
              scope.userId,
              scope.email,
              'answer_saved',
              'answer',
              '1',
              snapshot,
              snapshot,
            ]),
          )
          .digest('hex'),
      ),
      audit: perOp(saves, () =>
        recordAudit(
          db,
          {
            actor: { id: scope.userId, email: scope.email },
            action: 'answer_saved',
            entity: 'answer',
            entityId: 1,
            before: JSON.parse(snapshot),
            after: JSON.parse(snapshot),
          },
          now,
        ),
      ),
      caseTouch: perOp(saves, touch),
    }))
    const bump = sqlite.prepare('UPDATE rounds SET data_version = data_version WHERE id = 1')
    const bumpAlone = inOneTransaction(() => perOp(saves, () => bump.run()))
    const committed = perOp(saves, () => {
      sqlite.exec('BEGIN IMMEDIATE')
      bump.run()
      sqlite.exec('COMMIT')
    })
    sqlite.exec('DROP TRIGGER answers_bump_round_update; DROP TRIGGER sample_cases_bump_round_update')
    const untriggered = inOneTransaction(() => ({ answer: perOp(saves, updateAnswer), caseTouch: perOp(saves, touch) }))
    const p = parts
    const u = untriggered
    const auditInsert = p.audit - p.auditChain - p.auditHash
    const commit = whole - wholeUncommitted
    const sum = p.read + p.answer + p.audit + p.caseTouch + commit
    return {
      wholeUs: r1(whole),
      readUs: r1(p.read),
      answerUs: r1(p.answer),
      answerTriggerUs: r1(p.answer - u.answer),
      auditChainUs: r1(p.auditChain),
      auditHashUs: r1(p.auditHash),
      auditInsertUs: r1(auditInsert),
      caseTouchUs: r1(p.caseTouch),
      caseTriggerUs: r1(p.caseTouch - u.caseTouch),
      commitUs: r1(commit),
      oneRowCommitUs: r1(committed - bumpAlone),
      restUs: r1(whole - sum),
      wholeWithoutAutoCheckpointUs: r1(wholeNoCheckpoint),
      walPagesPerSave: r1(walFrames / (saves + Math.min(200, saves))),
      checkpointOfTheseSavesMs: r1(checkpointMs),
    }
  } finally {
    db.$client.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
