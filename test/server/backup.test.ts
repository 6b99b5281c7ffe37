import t from 'tap'
import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setImmediate as tick } from 'node:timers/promises'
import Database from 'better-sqlite3'
import { openDatabase } from '../../schema/database.ts'
import { loadDemoData } from '../../seeds/demo.ts'
import { recordAudit } from '../../server/audit-log.ts'
import { checkFile } from '../../server/backup.ts'
import { main } from '../../server/cli/backup.ts'

function cli(command: string, args: string[], dbFile: string) {
  const out: string[] = []
  const err: string[] = []
  return main(
    command,
    args,
    { DB_FILE: dbFile, NODE_ENV: 'test' },
    (s) => out.push(s),
    (s) => err.push(s),
  ).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }))
}

t.test('backup while writes go on, then restore: integrity ok and every entry up to the backup present', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-backup-'))
  const live = join(dir, 'live.sqlite')
  const db = openDatabase(live)
  await loadDemoData(db)
  let writing = true
  let written = 0
  const writer = (async () => {
    while (writing) {
      recordAudit(db, { actor: null, action: 'test_write', entity: 'test', entityId: written, after: { n: written } })
      written++
      await tick()
    }
  })()
  while (written < 50) await tick()
  const backupFile = join(dir, 'backup.sqlite')
  const backup = await cli('backup', ['--', backupFile], live)
  const writtenAtBackup = written
  while (written < writtenAtBackup + 50) await tick()
  writing = false
  await writer
  t.equal(backup.code, 0, backup.err)
  t.match(backup.out, /integrity ok/)
  const anchored = Number(/Audit log: (\d+) entries, head ([0-9a-f]{64})/.exec(backup.out)?.[1])
  t.ok(anchored > 50, `the anchor (${anchored} entries) is printed`)
  t.equal(statSync(backupFile).mode & 0o777, 0o600, 'the backup is readable by its owner only')
  db.$client.close()

  // Restore over the live file (the service stopped): the later writes are gone, the backup's are all there.
  const restored = await cli('restore', [backupFile], live)
  t.equal(restored.code, 0, restored.err)
  const check = checkFile(live)
  t.equal(check.integrity, 'ok')
  t.match(check.chain, { ok: true, entries: anchored })
  const verified = await cli('verify-audit-log', [backupFile], live)
  t.equal(verified.code, 0, verified.err)
  t.match(verified.out, new RegExp(`${anchored} entries`))
  t.ok(checkFile(`${live}.before-restore`).chain.entries > anchored, 'the replaced database is kept')
})

t.test(
  'an entry cut off the end of the log is caught by the anchor, and a damaged backup is not restored',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'qaf-anchor-'))
    const live = join(dir, 'live.sqlite')
    const db = openDatabase(live)
    await loadDemoData(db)
    for (let i = 0; i < 5; i++) recordAudit(db, { actor: null, action: 'test_write', entity: 'test', entityId: i })
    db.$client.close()
    const backupFile = join(dir, 'b.sqlite')
    t.equal((await cli('backup', [backupFile], live)).code, 0)
    // Someone with the database file drops the append-only trigger and removes the last entry.
    const raw = new Database(live)
    raw.exec('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)')
    raw.close()
    t.equal((await cli('verify-audit-log', [], live)).code, 0, 'on its own, a shortened chain still links up')
    const anchoredCheck = await cli('verify-audit-log', [backupFile], live)
    t.equal(anchoredCheck.code, 1, 'against the anchor it does not')
    t.match(anchoredCheck.err, /cut off the end/)

    const broken = join(dir, 'broken.sqlite')
    const copy = new Database(backupFile)
    copy.exec('DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after = \'{"forged":true}\' WHERE id = 2')
    await copy.backup(broken)
    copy.close()
    const refused = await cli('restore', [broken], live)
    t.equal(refused.code, 1)
    t.match(refused.err, /does not verify/)
  },
)
