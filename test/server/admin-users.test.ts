import t from 'tap'
import { eq } from 'drizzle-orm'
import { auditLog, users } from '../../schema/index.ts'
import { buildTestApp, Session, signedIn } from '../fixtures/app.ts'
import { verifyAuditChain } from '../../server/audit-log.ts'

t.test('admin creates a user who can then sign in; the change is logged', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const form = await admin.get('/admin/users/new')
  t.equal(form.statusCode, 200)
  const res = await admin.post('/admin/users/new', { displayName: 'Nia New', email: 'Nia@Example.org', role: 'viewer', agencyId: '', password: 'a-long-password-1' })
  t.equal(res.statusCode, 303)
  const list = await admin.get(res.headers.location as string)
  t.match(list.body, /Created nia@example.org/)
  t.match(list.body, /Nia New/)
  await new Session(app).signIn('nia@example.org', 'a-long-password-1')
  const entry = db.select().from(auditLog).where(eq(auditLog.action, 'user_created')).get()
  t.notMatch(String(entry?.after), /password/i, 'no password or hash in the log')
  t.ok(verifyAuditChain(db).ok)
})

t.test('invalid user forms re-show with every error and change nothing', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const before = db.select().from(users).all().length
  const res = await admin.post('/admin/users/new', { displayName: '', email: 'not-an-email', role: 'agency', agencyId: '', password: 'short' })
  t.equal(res.statusCode, 400)
  for (const field of ['displayName', 'email', 'agencyId', 'password']) t.match(res.body, new RegExp(`href="#${field}"`), field)
  t.match(res.body, /value="not-an-email"/, 'what was typed is kept')
  t.notMatch(res.body, /value="short"/, 'passwords are never echoed')
  const dup = await admin.post('/admin/users/new', { displayName: 'Dup', email: 'viewer@qaf.example', role: 'viewer', password: 'a-long-password-1' })
  t.equal(dup.statusCode, 400)
  t.match(dup.body, /already exists/)
  t.equal(db.select().from(users).all().length, before)
})

t.test('admin edits, disables and resets the password of a user', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const viewer = db.select().from(users).where(eq(users.email, 'viewer@qaf.example')).get()!
  const edit = await admin.post(`/admin/users/${viewer.id}`, { displayName: 'Vic Renamed', email: 'viewer@qaf.example', role: 'advocate', agencyId: '' })
  t.equal(edit.statusCode, 303)
  t.equal(db.select().from(users).where(eq(users.id, viewer.id)).get()?.role, 'advocate')

  const reset = await admin.post(`/admin/users/${viewer.id}/password`, { password: 'another-long-password' })
  t.equal(reset.statusCode, 303)
  await new Session(app).signIn('viewer@qaf.example', 'another-long-password')

  await admin.post(`/admin/users/${viewer.id}/disable`, {})
  t.equal(db.select().from(users).where(eq(users.id, viewer.id)).get()?.disabled, true)
  const blocked = await new Session(app).post('/sign-in', { email: 'viewer@qaf.example', password: 'another-long-password' })
  t.equal(blocked.statusCode, 401)
  const actions = db.select({ a: auditLog.action }).from(auditLog).all().map((r) => r.a)
  t.ok(['user_updated', 'user_password_reset', 'user_disabled'].every((a) => actions.includes(a)))
})

t.test('an admin cannot disable their own account; bad ids are 404, not 500', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const self = await admin.post('/admin/users/1/disable', {})
  t.equal(self.statusCode, 400)
  t.match(self.body, /cannot disable your own account/)
  for (const url of ['/admin/users/abc', '/admin/users/999999', '/admin/users/-1']) t.equal((await admin.get(url)).statusCode, 404, url)
})

t.test('agencies are listed for the admin', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const res = await admin.get('/admin/agencies')
  t.match(res.body, /Cumbria Constabulary/)
  t.match(res.body, /Crown Prosecution Service North West/)
})

t.test('a success message shows once, and only when the server set it', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const crafted = await admin.get('/admin/users?done=Your%20account%20is%20locked%3A%20call%2001234')
  t.notMatch(crafted.body, /govuk-notification-banner/, 'words in a link never reach the banner')
  await admin.post('/admin/users/new', { displayName: 'Once Only', email: 'once@example.org', role: 'viewer', password: 'a-long-password-1' })
  t.match((await admin.get('/admin/users')).body, /govuk-notification-banner[\s\S]*Created once@example.org/)
  t.notMatch((await admin.get('/admin/users')).body, /govuk-notification-banner/, 'gone on the next page')
})
