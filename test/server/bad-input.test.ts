// Findings from probing: each of these once answered 500, raw JSON or a framework's own words.
import t, { type Test } from 'tap'
import { eq } from 'drizzle-orm'
import { mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { auditLog, users } from '../../schema/index.ts'
import { openDatabase } from '../../schema/database.ts'
import { loadDemoRounds } from '../../seeds/demo-rounds.ts'
import { isCommonPassword } from '../../server/passwords.ts'
import { buildTestApp, Session, signedIn } from '../fixtures/app.ts'

const frameworkWords =
  /Body is not valid JSON|Unsupported Media Type|FST_|statusCode|is not a valid url component|exceeding the max param length|Boundary not found|Unexpected end of|URI malformed|FOREIGN KEY/

function ownPage(
  t: Test,
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  label: string,
) {
  t.equal(res.statusCode, status, `${label}: ${status}`)
  t.match(String(res.headers['content-type']), /text\/html/, `${label}: the app's own page`)
  t.match(String(res.headers['content-security-policy']), /default-src 'self'/, `${label}: security headers`)
  t.match(res.body, /govuk-heading-l|govuk-error-summary/, `${label}: a heading a person can read`)
  t.notMatch(res.body, frameworkWords, `${label}: no framework words`)
}

t.test('an agency that is not on the list is a form error, not a 500, on create and edit', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const before = db.select().from(users).all()
  const create = await admin.post('/admin/users/new', {
    displayName: 'X',
    email: 'x@example.org',
    role: 'agency',
    agencyId: '999',
    password: 'a-long-unusual-passphrase',
  })
  ownPage(t, create, 400, 'create')
  t.match(create.body, /href="#agencyId">Select an agency from the list/)
  const edit = await admin.post('/admin/users/2', {
    displayName: 'X',
    email: 'x@example.org',
    role: 'agency',
    agencyId: '999',
  })
  ownPage(t, edit, 400, 'edit')
  t.same(db.select().from(users).all(), before, 'nothing changed')
})

t.test('a multipart body without a boundary, or cut off, is refused with the import page', async (t) => {
  const { app, db } = await buildTestApp(t)
  await loadDemoRounds(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const csrf = await admin.csrfToken('/')
  const send = (type: string, payload: string) =>
    app.inject({
      method: 'POST',
      url: '/rounds/1/population',
      headers: { cookie: admin.header(), 'content-type': type },
      payload,
    })
  ownPage(t, await send('multipart/form-data', 'abc'), 400, 'no boundary')
  const cut = `--XX\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--XX\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\n`
  // Uploads are saved in the temporary folder: a cut-off one must not leave its part there.
  const uploads = mkdtempSync(join(tmpdir(), 'qaf-bad-input-'))
  const tmp = process.env.TMPDIR
  process.env.TMPDIR = uploads
  t.teardown(() => {
    if (tmp === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = tmp
  })
  const res = await send('multipart/form-data; boundary=XX', cut)
  ownPage(t, res, 400, 'no closing boundary')
  t.match(res.body, /did not arrive in full/)
  t.same(readdirSync(uploads), [], 'no partial upload is left in the temporary folder')
})

t.test('a malformed flash cookie is ignored, not a 500 on every page', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const res = await app.inject({ url: '/', headers: { cookie: `${admin.header()}; qaf_flash=%E0%A4%A` } })
  t.equal(res.statusCode, 200)
})

t.test('addresses the router refuses, and bodies the parsers refuse, get the app’s own page', async (t) => {
  const { app } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  ownPage(t, await admin.get(`/rounds/${'1'.repeat(200)}`), 414, 'over-long path parameter')
  ownPage(t, await admin.get('/rounds/%E0%A4%A'), 400, 'malformed percent-encoding')
  ownPage(
    t,
    await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: '{bad',
    }),
    400,
    'bad JSON',
  )
  ownPage(
    t,
    await app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': 'text/xml' }, payload: '<a/>' }),
    415,
    'unsupported type',
  )
  ownPage(
    t,
    await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a='.padEnd(2_000_000, 'x'),
    }),
    413,
    'too large',
  )
})

t.test('control characters never reach the database', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const res = await admin.post('/admin/users/new', {
    displayName: 'Ann\u0000\u001b[31m Other\u007f',
    email: 'ann@example.org',
    role: 'viewer',
    password: 'a-long-unusual-passphrase',
  })
  t.equal(res.statusCode, 303)
  t.equal(db.select().from(users).where(eq(users.email, 'ann@example.org')).get()?.displayName, 'Ann[31m Other')
})

t.test('a new database file is readable by its owner only', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-mode-'))
  const db = openDatabase(join(dir, 'new.sqlite'))
  db.$client.close()
  t.equal(statSync(join(dir, 'new.sqlite')).mode & 0o777, 0o600)
})

t.test('a failed sign-in logs nothing that was typed', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = new Session(app)
  await s.post('/sign-in', { email: 'My-Secret-Passphrase-1', password: 'x' })
  await s.post('/sign-in', { email: 'admin@qaf.example', password: 'admin@qaf.exampl' })
  const entries = db.select().from(auditLog).where(eq(auditLog.action, 'sign_in_failed')).all()
  t.equal(entries.length, 2)
  t.notMatch(
    JSON.stringify(entries),
    /secret-passphrase|qaf\.exampl"|@/i,
    'neither what was typed as e-mail nor as password',
  )
})

t.test('passwords: at least 12 characters and not one attackers try first', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const viewer = db.select().from(users).where(eq(users.email, 'viewer@qaf.example')).get()!
  for (const password of [
    'short-pass1',
    'password1234',
    'Password1234',
    '123456789012',
    'aaaaaaaaaaaa',
    'abcdefghijklm',
  ]) {
    const res = await admin.post(`/admin/users/${viewer.id}/password`, { password })
    t.equal(res.statusCode, 400, password)
  }
  t.ok(isCommonPassword('qwertyuiop123'))
  t.notOk(isCommonPassword('heron-ledger-orbit'))
  t.equal((await admin.post(`/admin/users/${viewer.id}/password`, { password: 'heron-ledger-orbit' })).statusCode, 303)
})
