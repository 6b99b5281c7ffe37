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
  const res = await admin.post('/admin/users/new', {
    displayName: 'Nia New',
    email: 'Nia@Example.org',
    role: 'viewer',
    agencyId: '',
    password: 'a-long-password-1',
  })
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
  const res = await admin.post('/admin/users/new', {
    displayName: '',
    email: 'not-an-email',
    role: 'agency',
    agencyId: '',
    password: 'short',
  })
  t.equal(res.statusCode, 400)
  for (const field of ['displayName', 'email', 'agencyId', 'password'])
    t.match(res.body, new RegExp(`href="#${field}"`), field)
  t.match(res.body, /value="not-an-email"/, 'what was typed is kept')
  t.notMatch(res.body, /value="short"/, 'passwords are never echoed')
  const dup = await admin.post('/admin/users/new', {
    displayName: 'Dup',
    email: 'viewer@qaf.example',
    role: 'viewer',
    password: 'a-long-password-1',
  })
  t.equal(dup.statusCode, 400)
  t.match(dup.body, /already exists/)
  t.equal(db.select().from(users).all().length, before)
})

t.test('admin edits, disables and resets the password of a user', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const viewer = db.select().from(users).where(eq(users.email, 'viewer@qaf.example')).get()!
  const edit = await admin.post(`/admin/users/${viewer.id}`, {
    displayName: 'Vic Renamed',
    email: 'viewer@qaf.example',
    role: 'advocate',
    agencyId: '',
  })
  t.equal(edit.statusCode, 303)
  t.equal(db.select().from(users).where(eq(users.id, viewer.id)).get()?.role, 'advocate')

  const reset = await admin.post(`/admin/users/${viewer.id}/password`, { password: 'another-long-password' })
  t.equal(reset.statusCode, 303)
  await new Session(app).signIn('viewer@qaf.example', 'another-long-password')

  await admin.post(`/admin/users/${viewer.id}/disable`, { disabled: 'true' })
  t.equal(db.select().from(users).where(eq(users.id, viewer.id)).get()?.disabled, true)
  const blocked = await new Session(app).post('/sign-in', {
    email: 'viewer@qaf.example',
    password: 'another-long-password',
  })
  t.equal(blocked.statusCode, 401)
  const actions = db
    .select({ a: auditLog.action })
    .from(auditLog)
    .all()
    .map((r) => r.a)
  t.ok(['user_updated', 'user_password_reset', 'user_disabled'].every((a) => actions.includes(a)))
})

t.test('an admin cannot disable their own account; bad ids are 404, not 500', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const self = await admin.post('/admin/users/1/disable', { disabled: 'true' })
  t.equal(self.statusCode, 400)
  t.match(self.body, /cannot disable your own account/)
  for (const url of ['/admin/users/abc', '/admin/users/999999', '/admin/users/-1'])
    t.equal((await admin.get(url)).statusCode, 404, url)
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
  await admin.post('/admin/users/new', {
    displayName: 'Once Only',
    email: 'once@example.org',
    role: 'viewer',
    password: 'a-long-password-1',
  })
  t.match((await admin.get('/admin/users')).body, /govuk-notification-banner[\s\S]*Created once@example.org/)
  t.notMatch((await admin.get('/admin/users')).body, /govuk-notification-banner/, 'gone on the next page')
})

/** The action of the form on a page that contains `marker` (a button's text), as the browser would post it. */
function formAction(html: string, marker: string): string {
  for (const m of html.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g))
    if (m[2]?.includes(marker)) return m[1]!.replaceAll('&#39;', "'")
  throw new Error(`no form containing ${marker}`)
}

function hiddenFields(html: string, marker: string): Record<string, string> {
  for (const m of html.matchAll(/<form[^>]*>([\s\S]*?)<\/form>/g)) {
    if (!m[1]?.includes(marker)) continue
    const out: Record<string, string> = {}
    for (const f of m[1].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
      if (f[1] !== '_csrf') out[f[1]!] = f[2]!
    return out
  }
  return {}
}

t.test('the user page shows the person being edited and its forms post to that person', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const viewer = db.select().from(users).where(eq(users.email, 'viewer@qaf.example')).get()!
  const list = await admin.get('/admin/users')
  const link = new RegExp(`href="(/admin/users/${viewer.id})"`).exec(list.body)
  t.ok(link, 'the list links to the user')
  let page = await admin.get(link![1]!)
  t.equal(page.statusCode, 200)
  t.match(
    page.body,
    new RegExp(`<h1[^>]*>Edit ${viewer.displayName}</h1>`),
    'the heading names the person being edited, not the admin',
  )
  t.notMatch(page.body, /undefined/)

  const save = await admin.post(formAction(page.body, 'Save changes'), {
    displayName: 'Vera Viewer',
    email: 'viewer@qaf.example',
    role: 'viewer',
    agencyId: '',
  })
  t.equal(save.statusCode, 303)
  t.equal(db.select().from(users).where(eq(users.id, viewer.id)).get()?.displayName, 'Vera Viewer')

  page = await admin.get(link![1]!)
  const reset = await admin.post(formAction(page.body, 'Set new password'), { password: 'a-fresh-long-passphrase' })
  t.equal(reset.statusCode, 303)
  await new Session(app).signIn('viewer@qaf.example', 'a-fresh-long-passphrase')

  page = await admin.get(link![1]!)
  const disableAt = formAction(page.body, 'Disable account')
  const disableWith = hiddenFields(page.body, 'Disable account')
  t.equal((await admin.post(disableAt, disableWith)).statusCode, 303)
  t.equal(db.select().from(users).where(eq(users.id, viewer.id)).get()?.disabled, true)
  // A double submit (the same form posted twice) must leave the account disabled.
  const again = await admin.post(disableAt, disableWith)
  t.equal(again.statusCode, 303)
  t.match(decodeURIComponent(String(again.cookies.find((c) => c.name === 'qaf_flash')?.value)), /already disabled/)
  t.equal(
    db.select().from(users).where(eq(users.id, viewer.id)).get()?.disabled,
    true,
    'still disabled after a repeated submit',
  )

  page = await admin.get(link![1]!)
  t.equal(
    (await admin.post(formAction(page.body, 'Enable account'), hiddenFields(page.body, 'Enable account'))).statusCode,
    303,
  )
  t.equal(db.select().from(users).where(eq(users.id, viewer.id)).get()?.disabled, false)
  t.equal(
    (await admin.post(disableAt, {})).statusCode,
    400,
    'a request that does not say which state it wants changes nothing',
  )
})
