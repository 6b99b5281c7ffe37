import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { eq } from 'drizzle-orm'
import { users } from '../../schema/index.ts'
import { buildTestApp, Session, signedIn } from '../fixtures/app.ts'

const idOf = (db: import('../../schema/database.ts').Db, email: string): number =>
  db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id

/** A copy of the browser's cookies as they are now: what someone who copied them could replay. */
function replay(app: FastifyInstance, s: Session): Session {
  const copy = new Session(app)
  copy.cookies = new Map(s.cookies)
  return copy
}

t.test('a cookie replayed after sign-out opens nothing, on any device', async (t) => {
  const { app } = await buildTestApp(t)
  const s = await signedIn(app, 'auditor@qaf.example')
  const other = await signedIn(app, 'auditor@qaf.example')
  const stolen = replay(app, s)
  t.equal((await stolen.get('/')).statusCode, 200, 'the copy works while the session lives')
  await s.post('/sign-out', {})
  t.equal((await stolen.get('/')).statusCode, 303, 'replayed after sign-out: signed out')
  t.equal((await other.get('/')).statusCode, 303, 'sign-out ends the sessions on other devices too')
  t.equal((await (await signedIn(app, 'auditor@qaf.example')).get('/')).statusCode, 200, 'signing in again works')
})

t.test('a password reset, a disable then enable, and a role change each end the old sessions', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = idOf(db, 'viewer@qaf.example')

  let victim = await signedIn(app, 'viewer@qaf.example')
  t.equal((await admin.post(`/admin/users/${id}/password`, { password: 'a-brand-new-passphrase' })).statusCode, 303)
  t.equal((await victim.get('/')).statusCode, 303, 'old cookie after a password reset')

  victim = new Session(app)
  await victim.signIn('viewer@qaf.example', 'a-brand-new-passphrase')
  const copy = replay(app, victim)
  await admin.post(`/admin/users/${id}/disable`, { disabled: 'true' })
  await admin.post(`/admin/users/${id}/disable`, { disabled: 'false' })
  t.equal((await copy.get('/')).statusCode, 303, 'old cookie after disable then enable')

  victim = new Session(app)
  await victim.signIn('viewer@qaf.example', 'a-brand-new-passphrase')
  await admin.post(`/admin/users/${id}`, {
    displayName: 'Viewer Renamed',
    email: 'viewer@qaf.example',
    role: 'viewer',
    agencyId: '',
  })
  t.equal((await victim.get('/')).statusCode, 200, 'a change of name alone keeps the session')
  await admin.post(`/admin/users/${id}`, {
    displayName: 'Viewer Renamed',
    email: 'viewer@qaf.example',
    role: 'advocate',
    agencyId: '',
  })
  t.equal((await victim.get('/')).statusCode, 303, 'old cookie after a role change')
})

t.test('a session idle for 30 minutes ends; use keeps it alive up to the 8-hour limit', async (t) => {
  const { app } = await buildTestApp(t)
  const idle = await signedIn(app, 'viewer@qaf.example')
  const busy = await signedIn(app, 'viewer@qaf.example')
  const realNow = Date.now
  let offset = 0
  Date.now = () => realNow() + offset
  t.teardown(() => {
    Date.now = realNow
  })
  // The busy one is used every 20 minutes, the idle one not at all.
  for (let minutes = 20; minutes <= 7 * 60 + 40; minutes += 20) {
    offset = minutes * 60_000
    const res = await busy.get('/')
    if (res.statusCode !== 200) t.fail(`busy session refused after ${minutes} minutes`)
  }
  t.pass('a session used every 20 minutes lasted 7 hours 40 minutes')
  t.equal((await idle.get('/')).statusCode, 303, 'the session left idle is over')
  offset = 8 * 3600_000 + 60_000
  t.equal((await busy.get('/')).statusCode, 303, 'even in use, a session ends 8 hours after sign-in')
})

t.test('31 idle minutes end a session; 29 do not', async (t) => {
  const { app } = await buildTestApp(t)
  const a = await signedIn(app, 'viewer@qaf.example')
  const b = await signedIn(app, 'viewer@qaf.example')
  const realNow = Date.now
  let offset = 29 * 60_000
  Date.now = () => realNow() + offset
  t.teardown(() => {
    Date.now = realNow
  })
  t.equal((await a.get('/')).statusCode, 200)
  offset = 31 * 60_000
  t.equal((await b.get('/')).statusCode, 303)
})
