// The admin's audit log screen, used as a person would: reached from the navigation, filtered with
// the page's own form, paged with its own links, verified with its own button.
import t from 'tap'
import { count, desc, eq } from 'drizzle-orm'
import { auditLog, users } from '../../schema/index.ts'
import { demoUsers } from '../../seeds/cumbria.ts'
import { recordAudit } from '../../server/audit-log.ts'
import { createUser, updateUser } from '../../server/services/admin/users-queries.ts'
import type { Scope } from '../../server/scope.ts'
import { buildTestApp, signedIn, type Session } from '../fixtures/app.ts'

const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')

/** The link whose text is `text`. */
function linkTo(body: string, text: string | RegExp): string {
  for (const m of body.matchAll(/<a [^>]*href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)) {
    const label = (m[2] as string).replace(/<[^>]+>/g, '').trim()
    if (typeof text === 'string' ? label === text : text.test(label)) return decode(m[1] as string)
  }
  throw new Error(`no link "${text}"`)
}

/** Submits the filter form as the browser would: its own action, method GET, the fields given. */
async function filter(session: Session, page: string, fields: Record<string, string>) {
  const form = /<form method="get" action="([^"]+)"[^>]*data-qa="audit-filter"/.exec(page)
  if (!form) throw new Error('no filter form')
  for (const name of Object.keys(fields))
    if (!page.includes(`name="${name}"`)) throw new Error(`the form has no field ${name}`)
  const all: Record<string, string> = {
    action: '',
    entity: '',
    actor: '',
    'from-day': '',
    'from-month': '',
    'from-year': '',
    'to-day': '',
    'to-month': '',
    'to-year': '',
    ...fields,
  }
  return session.get(`${decode(form[1] as string)}?${new URLSearchParams(all)}`)
}

const rows = (body: string) => [...body.matchAll(/data-entry="(\d+)"/g)].map((m) => Number(m[1]))

async function openLog(session: Session) {
  const home = await session.get('/')
  return session.get(linkTo(home.body, 'Audit log'))
}

t.test(
  'the admin reads the log from the navigation, newest first, with readable times, actions and changes',
  async (t) => {
    const { app, db } = await buildTestApp(t)
    recordAudit(
      db,
      {
        actor: { id: 1, email: 'admin@qaf.example' },
        action: 'user_updated',
        entity: 'user',
        entityId: 7,
        before: { role: 'viewer', displayName: 'Vic' },
        after: { role: 'moderator', displayName: 'Vic' },
      },
      '2025-03-03T14:05:00.000Z',
    )
    const admin = await signedIn(app, 'admin@qaf.example')
    const page = await openLog(admin)
    t.equal(page.statusCode, 200)
    t.match(page.body, /<h1[^>]*>Audit log<\/h1>/)
    const ids = rows(page.body)
    const newest = db.select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).get()?.id
    t.equal(ids[0], newest, 'newest entry first')
    t.same(
      ids,
      [...ids].sort((a, b) => b - a),
      'in descending order',
    )
    t.match(page.body, /Sign in/, 'action as words')
    const row =
      /data-entry="\d+">([\s\S]*?)<\/tr>/.exec(page.body.slice(page.body.indexOf('3 March 2025, 14:05') - 200))?.[1] ??
      ''
    t.match(row, /3 March 2025, 14:05/, 'when, as a person reads it')
    t.match(row, /admin@qaf\.example/, 'who')
    t.match(row, /User updated/, 'action label')
    t.match(row, /User 7/, 'entity and id')
    t.match(row, /role<\/strong>: viewer .*changed to<\/span> moderator/, 'what changed')
    t.notMatch(row, /displayName/, 'unchanged fields are left out')
  },
)

t.test('filters narrow the list, keep what was chosen, and say when nothing matches', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  await signedIn(app, 'police@qaf.example')
  recordAudit(
    db,
    {
      actor: { id: 1, email: 'admin@qaf.example' },
      action: 'round_created',
      entity: 'round',
      entityId: 3,
      after: { name: 'Old round' },
    },
    '2024-06-10T23:30:00.000Z',
  )
  const page = await openLog(admin)

  const signIns = await filter(admin, page.body, { action: 'sign_in', actor: 'POLICE@' })
  t.equal(signIns.statusCode, 200)
  const found = rows(signIns.body)
  t.equal(found.length, 1, 'one sign-in by the police lead')
  const entry = db
    .select()
    .from(auditLog)
    .where(eq(auditLog.id, found[0] as number))
    .get()
  t.equal(entry?.action, 'sign_in')
  t.equal(entry?.actorEmail, 'police@qaf.example')
  t.match(signIns.body, /<option value="sign_in" selected>/, 'the choice is kept')
  t.match(signIns.body, /value="POLICE@"/)

  const byEntity = await filter(admin, page.body, { entity: 'round' })
  t.ok(rows(byEntity.body).length >= 1)
  for (const id of rows(byEntity.body))
    t.equal(db.select().from(auditLog).where(eq(auditLog.id, id)).get()?.entity, 'round')

  // 23:30 UTC on 10 June is 00:30 on 11 June in London, the day the screen shows.
  const day = await filter(admin, page.body, {
    'from-day': '11',
    'from-month': '6',
    'from-year': '2024',
    'to-day': '11',
    'to-month': '6',
    'to-year': '2024',
  })
  t.equal(day.statusCode, 200)
  t.equal(rows(day.body).length, 1, 'one entry that day')
  t.match(day.body, /11 June 2024, 00:30/)
  const dayBefore = await filter(admin, page.body, { 'to-day': '10', 'to-month': '6', 'to-year': '2024' })
  t.equal(rows(dayBefore.body).length, 0)

  const none = await filter(admin, page.body, { actor: 'nobody@nowhere.example' })
  t.equal(none.statusCode, 200)
  t.equal(rows(none.body).length, 0)
  t.match(none.body, /No entries match these filters/)

  const literal = await filter(admin, page.body, { actor: '%' })
  t.match(literal.body, /No entries match these filters/, 'a typed % is not a wildcard')
})

t.test('pagination: 50 a page, links that work and keep the filter', async (t) => {
  const { app, db } = await buildTestApp(t)
  for (let i = 0; i < 120; i++)
    recordAudit(db, { actor: { id: 1, email: 'admin@qaf.example' }, action: 'bulk_test', entity: 'thing', entityId: i })
  const admin = await signedIn(app, 'admin@qaf.example')
  const first = await openLog(admin)
  const total = db.select({ n: count() }).from(auditLog).get()?.n ?? 0
  t.equal(rows(first.body).length, 50)
  t.match(
    first.body,
    `${total.toLocaleString('en-GB')} entries: page 1 of ${Math.ceil(total / 50)}`,
    'the count as read',
  )
  const second = await admin.get(linkTo(first.body, 'Next page'))
  t.equal(second.statusCode, 200)
  t.equal(rows(second.body).length, 50)
  t.equal(rows(second.body)[0], (rows(first.body).at(-1) as number) - 1, 'page 2 carries on where page 1 stopped')
  t.match(second.body, /aria-current="page">2</)
  const back = await admin.get(linkTo(second.body, 'Previous page'))
  t.same(rows(back.body), rows(first.body))

  const filtered = await filter(admin, first.body, { action: 'bulk_test' })
  t.match(filtered.body, /120 entries match: page 1 of 3/)
  const last = await admin.get(linkTo(filtered.body, '3'))
  t.equal(rows(last.body).length, 20, 'the rest on the last page')
  t.match(last.body, /<option value="bulk_test" selected>/, 'the filter is kept across pages')
  for (const id of rows(last.body))
    t.equal(db.select().from(auditLog).where(eq(auditLog.id, id)).get()?.action, 'bulk_test')
  t.notMatch(last.body, /Next<span/, 'no next page after the last')
})

t.test('only admins: every other role gets 404 and no link', async (t) => {
  const { app } = await buildTestApp(t)
  for (const u of demoUsers.filter((u) => u.role !== 'admin')) {
    const s = await signedIn(app, u.email)
    for (const url of ['/admin/audit-log', '/admin/audit-log/verify', '/admin/audit-log?action=sign_in&page=2']) {
      const res = await s.get(url)
      t.equal(res.statusCode, 404, `${u.email} ${url}`)
      t.notMatch(res.body, /data-qa="audit-table"/)
    }
    t.notMatch((await s.get('/')).body, /href="\/admin\/audit-log"/, `${u.email} has no link`)
  }
  const out = await app.inject({ method: 'GET', url: '/admin/audit-log' })
  t.equal(out.statusCode, 303, 'signed out: sent to sign in')
})

t.test('verify: intact on a clean log, names the first broken entry after tampering', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const log = await openLog(admin)
  const clean = await admin.get(linkTo(log.body, 'Verify the chain'))
  t.equal(clean.statusCode, 200)
  const n = db.select({ n: count() }).from(auditLog).get()?.n ?? 0
  const head = db.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).get()?.hash
  t.match(clean.body, /The chain is intact/)
  t.match(clean.body, new RegExp(`All ${n} entries match their hashes`))
  t.match(clean.body, new RegExp(`data-qa="chain-head">${head}<`))

  // Someone with the database file drops the append-only guard and rewrites an entry.
  const target = db.select({ id: auditLog.id }).from(auditLog).orderBy(auditLog.id).limit(1).offset(1).get()
    ?.id as number
  db.$client.exec('DROP TRIGGER audit_log_no_update')
  db.$client.prepare(`UPDATE audit_log SET after = '{"forged":true}' WHERE id = ?`).run(target)
  const broken = await admin.get(linkTo(clean.body, 'Verify again'))
  t.equal(broken.statusCode, 200)
  t.match(broken.body, /The chain is broken/)
  t.match(
    broken.body,
    new RegExp(`Entry ${target} is the first that does not check out: entry content does not match its hash`),
  )
  t.notMatch(broken.body, /The chain is intact/)
})

t.test('bad filter values re-show the form with an error summary and 400', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const page = await openLog(admin)
  const before = db.select({ n: count() }).from(auditLog).get()?.n
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ 'from-day': '31', 'from-month': '2', 'from-year': '2025' }, '#from-day', /Date from must be a real date/],
    [{ 'to-day': '3', 'to-month': '', 'to-year': '2025' }, '#to-day', /Date to must include a month/],
    [
      { 'from-day': '5', 'from-month': '3', 'from-year': '2025', 'to-day': '4', 'to-month': '3', 'to-year': '2025' },
      '#to-day',
      /must be the same as or after/,
    ],
    [{ action: 'drop_tables' }, '#action', /Select an action from the list/],
    [{ entity: 'x'.repeat(500) }, '#entity', /Select a kind of record from the list/],
    [{ actor: `${'a'.repeat(250)}@x.example` }, '#actor', /254 characters or fewer/],
  ]
  for (const [fields, href, message] of cases) {
    const res = await filter(admin, page.body, fields)
    t.equal(res.statusCode, 400, JSON.stringify(fields))
    t.match(res.body, /govuk-error-summary/)
    t.match(res.body, new RegExp(`href="${href}"`))
    t.match(res.body, message)
    t.match(res.body, /data-qa="audit-filter"/, 'the form is shown again')
    t.notMatch(res.body, /data-qa="audit-table"/)
  }
  const dup = await filter(admin, page.body, { 'from-day': '31', 'from-month': '2', 'from-year': '2025' })
  t.match(dup.body, /name="from-day"[^>]*value="31"/, 'what was typed is kept')
  for (const url of ['/admin/audit-log?page=abc', '/admin/audit-log?page=0', '/admin/audit-log?page=99999999999']) {
    const res = await admin.get(url)
    t.equal(res.statusCode, 400, url)
    t.match(res.body, /Page must be a whole number/)
  }
  const farPage = await admin.get('/admin/audit-log?page=500')
  t.equal(farPage.statusCode, 200, 'a page past the end shows the last one')
  t.ok(rows(farPage.body).length > 0)
  const repeated = await admin.get('/admin/audit-log?action=sign_in&action=x&actor=a&actor=b')
  t.equal(repeated.statusCode, 200, 'a repeated name counts by its first value')
  t.equal(db.select({ n: count() }).from(auditLog).get()?.n, before, 'reading the log writes nothing')
})

t.test('no password hashes or session tokens on the screen', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  // An entry that, by mistake, carried a secret: the screen hides it.
  recordAudit(db, {
    actor: null,
    action: 'test_secret',
    entity: 'user',
    after: { passwordHash: '$argon2id$leaked', sessionToken: 'tok-leaked', role: 'viewer' },
  })
  const log = await openLog(admin)
  t.notOk(log.body.includes('tok-leaked'))
  t.notOk(log.body.includes('$argon2'), 'no argon2 string at all')
  t.match(log.body, /passwordHash<\/strong>: hidden/)
  t.match(log.body, /role<\/strong>: viewer/, 'the rest of the entry still shows')
  // Accounts made and changed through the code the user screens use: the hash is stored, not logged.
  const scope = { userId: 1, email: 'admin@qaf.example', role: 'admin' } as Scope
  const id = createUser(
    db,
    scope,
    { email: 'new@qaf.example', displayName: 'New Person', role: 'viewer', agencyId: null },
    '$argon2id$v=19$stored-hash-marker',
  )
  updateUser(db, scope, id, { email: 'new@qaf.example', displayName: 'New Person', role: 'moderator', agencyId: null })
  const created = await filter(admin, log.body, { entity: 'user', actor: 'admin@' })
  t.match(created.body, /User created/)
  t.match(created.body, /moderator/)
  for (const u of db.select({ h: users.passwordHash }).from(users).all())
    t.notOk(created.body.includes(u.h), 'no password hash')
  t.notOk(created.body.includes('$argon2'))
  const session = admin.cookies.get('qaf_session') as string
  t.ok(session)
  for (const page of [log, created]) t.notOk(page.body.includes(session), 'no session token')
})
