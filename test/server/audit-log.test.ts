import t from 'tap'
import { openDatabase } from '../../schema/database.ts'
import { recordAudit, verifyAuditChain } from '../../server/audit-log.ts'

t.test('the chain verifies, and detects an edited row', async (t) => {
  const db = openDatabase(':memory:')
  t.match(verifyAuditChain(db), { ok: true, entries: 0 })
  const actor = { id: 1, email: 'admin@qaf.example' }
  recordAudit(db, { actor, action: 'user_created', entity: 'user', entityId: 5, after: { role: 'viewer' } })
  recordAudit(db, {
    actor,
    action: 'user_updated',
    entity: 'user',
    entityId: 5,
    before: { role: 'viewer' },
    after: { role: 'admin' },
  })
  recordAudit(db, { actor: null, action: 'sign_in_failed', entity: 'user' })
  t.match(verifyAuditChain(db), { ok: true, entries: 3 })

  // Someone with file access drops the guard and rewrites history.
  db.$client.exec('DROP TRIGGER audit_log_no_update')
  db.$client.prepare(`UPDATE audit_log SET after = '{"role":"viewer"}' WHERE id = 2`).run()
  const check = verifyAuditChain(db)
  t.equal(check.ok, false)
  t.equal(!check.ok && check.brokenAt, 2)
})

t.test('a deleted row breaks the chain too', async (t) => {
  const db = openDatabase(':memory:')
  for (let i = 0; i < 3; i++) recordAudit(db, { actor: null, action: `a${i}`, entity: 'x' })
  db.$client.exec('DROP TRIGGER audit_log_no_delete')
  db.$client.prepare('DELETE FROM audit_log WHERE id = 2').run()
  const check = verifyAuditChain(db)
  t.equal(!check.ok && check.brokenAt, 3)
})

t.test('the database refuses edits and deletions of the log', async (t) => {
  const db = openDatabase(':memory:')
  recordAudit(db, { actor: null, action: 'x', entity: 'y' })
  t.throws(() => db.$client.prepare(`UPDATE audit_log SET action = 'z'`).run(), /append-only/)
  t.throws(() => db.$client.prepare('DELETE FROM audit_log').run(), /append-only/)
})
