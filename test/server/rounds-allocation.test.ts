import t from 'tap'
import { and, asc, eq, ne } from 'drizzle-orm'
import { auditLog, populationCases, sampleCases } from '../../schema/index.ts'
import type { Db } from '../../schema/database.ts'
import { buildTestApp, signedIn, flashOf } from '../fixtures/app.ts'
import { agencyId, drawForm, insertPopulation, insertRound, userId } from '../fixtures/rounds.ts'

function holdings(db: Db, roundId: number) {
  return db
    .select({
      id: sampleCases.id,
      ref: populationCases.caseRef,
      auditorId: sampleCases.auditorId,
      owner: sampleCases.owningAgencyId,
    })
    .from(sampleCases)
    .innerJoin(populationCases, eq(sampleCases.populationCaseId, populationCases.id))
    .where(and(eq(sampleCases.roundId, roundId), ne(sampleCases.status, 'replaced')))
    .orderBy(asc(sampleCases.id))
    .all()
}

const count = (rows: { auditorId: number | null }[], id: number) => rows.filter((r) => r.auditorId === id).length

/** A sampling round whose cases belong to Victim Support, HMCTS or nobody, drawn in full. */
async function drawnRound(t: Parameters<typeof buildTestApp>[0], n = 30) {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { status: 'sampling', agencies: ['Victim Support', 'HMCTS', 'Constabulary'] })
  insertPopulation(db, id, n, { agencyRef: (i) => ['Victim Support', 'HMCTS', null][i % 3] ?? null })
  t.equal(
    (await admin.post(`/rounds/${id}/draw`, drawForm({ sampleSize: String(n), minimumPerStratum: '0' }))).statusCode,
    303,
  )
  return {
    app,
    db,
    admin,
    id,
    ash: userId(db, 'auditor@qaf.example'),
    sam: userId(db, 'auditor2@qaf.example'),
    victimSupport: agencyId(db, 'Victim Support'),
    hmcts: agencyId(db, 'HMCTS'),
  }
}

t.test('automatic allocation is balanced and never gives an auditor their own agency’s case', async (t) => {
  const { db, admin, id, ash, sam, victimSupport, hmcts } = await drawnRound(t)
  const page = await admin.get(`/rounds/${id}/allocation`)
  t.equal(page.statusCode, 200)
  t.match(page.body, /30 cases of 30 are not allocated/)
  t.match(page.body, /Ash Auditor \(Victim Support\)/)

  const res = await admin.post(`/rounds/${id}/allocation/auto`, { auditorIds: [String(ash), String(sam)] })
  t.equal(res.statusCode, 303)
  t.match(flashOf(res), /30 cases allocated/)
  const rows = holdings(db, id)
  t.ok(
    rows.every((r) => r.auditorId !== null),
    'every case allocated',
  )
  t.notOk(
    rows.some((r) => r.auditorId === ash && r.owner === victimSupport),
    'Ash never gets a Victim Support case',
  )
  t.notOk(
    rows.some((r) => r.auditorId === sam && r.owner === hmcts),
    'Sam never gets an HMCTS case',
  )
  t.equal(count(rows, ash), 15)
  t.equal(count(rows, sam), 15)
  t.match((await admin.get(`/rounds/${id}`)).body, /data-qa="auditor-loads"/)
  const log = db.select().from(auditLog).where(eq(auditLog.action, 'sample_allocated')).get()
  t.match(String(log?.after), /"unassignable":\[\]/)
})

t.test('cases nobody selected may review stay unallocated and are named on the page', async (t) => {
  const { db, admin, id, ash, sam, victimSupport } = await drawnRound(t, 12)
  const res = await admin.post(`/rounds/${id}/allocation/auto`, { auditorIds: String(ash) })
  t.equal(res.statusCode, 303)
  const done = await admin.get(res.headers.location as string)
  t.match(
    done.body,
    /8 cases allocated\. 4 cases could not be given to any selected auditor, because each is from their home agency: C-\d{6}/,
  )
  const waiting = holdings(db, id).filter((r) => r.auditorId === null)
  t.equal(waiting.length, 4)
  t.ok(waiting.every((r) => r.owner === victimSupport))

  // With Sam disabled, Ash is the only auditor left and cannot take those cases at all.
  await admin.post(`/admin/users/${sam}/disable`, { disabled: 'true' })
  const page = await admin.get(`/rounds/${id}/allocation`)
  t.match(
    page.body,
    /No active auditor may review 4 cases, because every active auditor is from the agency that owns them/,
  )
  t.match(page.body, /No auditor may review/)
})

t.test('new cases go to whoever holds fewest; a disabled auditor’s cases are shared out again', async (t) => {
  const { db, admin, id, ash, sam } = await drawnRound(t, 60)
  // Give Sam ten cases that neither agency owns, by hand, before sharing the rest out.
  const free = holdings(db, id)
    .filter((r) => r.owner === null)
    .slice(0, 10)
  t.equal(
    (
      await admin.post(`/rounds/${id}/allocation/reassign`, {
        caseIds: free.map((r) => String(r.id)),
        auditorId: String(sam),
      })
    ).statusCode,
    303,
  )
  await admin.post(`/rounds/${id}/allocation/auto`, { auditorIds: [String(ash), String(sam)] })
  let rows = holdings(db, id)
  t.equal(count(rows, ash), 30)
  t.equal(count(rows, sam), 30, 'the ten held before count towards the balance')

  await admin.post(`/admin/users/${sam}/disable`, { disabled: 'true' })
  const third = await admin.post('/admin/users/new', {
    displayName: 'Tia Third',
    email: 'tia@qaf.example',
    role: 'auditor',
    agencyId: String(agencyId(db, 'Constabulary')),
    password: 'a-long-password-1',
  })
  t.equal(third.statusCode, 303)
  const tia = userId(db, 'tia@qaf.example')
  const page = await admin.get(`/rounds/${id}/allocation`)
  t.match(page.body, /No longer active/)
  t.match(page.body, /30 cases of 60 are not allocated/)
  await admin.post(`/rounds/${id}/allocation/auto`, { auditorIds: [String(ash), String(tia)] })
  rows = holdings(db, id)
  t.equal(count(rows, sam), 0)
  // Sam's 30 (20 Victim Support cases, which Ash may not take, and 10 free ones) all go to Tia.
  t.equal(count(rows, ash), 30)
  t.equal(count(rows, tia), 30)
  t.notOk(rows.some((r) => r.auditorId === ash && r.owner === agencyId(db, 'Victim Support')))
})

t.test('reassigning one or many cases, refused whole when any breaks the own-agency rule', async (t) => {
  const { db, admin, id, ash, sam, victimSupport } = await drawnRound(t, 12)
  await admin.post(`/rounds/${id}/allocation/auto`, { auditorIds: [String(ash), String(sam)] })
  const before = holdings(db, id)
  const samsFree = before.filter((r) => r.auditorId === sam && r.owner === null)

  const one = await admin.post(`/rounds/${id}/allocation/reassign`, {
    caseIds: String(samsFree[0]!.id),
    auditorId: String(ash),
  })
  t.equal(one.statusCode, 303)
  t.match(flashOf(one), /1 case given to Ash Auditor/)
  t.equal(holdings(db, id).find((r) => r.id === samsFree[0]!.id)?.auditorId, ash)

  const own = before.find((r) => r.owner === victimSupport)!
  const mixed = [samsFree[1]!.id, own.id].map(String)
  const refused = await admin.post(`/rounds/${id}/allocation/reassign`, { caseIds: mixed, auditorId: String(ash) })
  t.equal(refused.statusCode, 400)
  t.match(refused.body, new RegExp(`Ash Auditor cannot review case ${own.ref}: it belongs to their home agency`))
  t.match(refused.body, new RegExp(`value="${own.id}" checked`), 'the selection is kept')
  t.equal(holdings(db, id).find((r) => r.id === samsFree[1]!.id)?.auditorId, sam, 'nothing moved')

  const ashsFree = holdings(db, id).filter((r) => r.auditorId === ash && r.owner === null)
  t.ok(ashsFree.length > 1)
  const many = await admin.post(`/rounds/${id}/allocation/reassign`, {
    caseIds: ashsFree.map((r) => String(r.id)),
    auditorId: String(sam),
  })
  t.equal(many.statusCode, 303)
  t.match(flashOf(many), new RegExp(`${ashsFree.length} cases given to Sam Second-Auditor`))
  t.ok(
    holdings(db, id)
      .filter((r) => ashsFree.some((f) => f.id === r.id))
      .every((r) => r.auditorId === sam),
  )
  t.ok(db.select().from(auditLog).where(eq(auditLog.action, 'sample_reassigned')).all().length >= 2)

  const noCases = await admin.post(`/rounds/${id}/allocation/reassign`, { auditorId: String(ash) })
  t.equal(noCases.statusCode, 400)
  t.match(noCases.body, /Select at least one case to reassign/)
  const noAuditor = await admin.post(`/rounds/${id}/allocation/reassign`, { caseIds: String(own.id) })
  t.match(noAuditor.body, /Select the auditor to give the cases to/)
  const notAuditor = await admin.post(`/rounds/${id}/allocation/reassign`, {
    caseIds: String(samsFree[1]!.id),
    auditorId: String(userId(db, 'viewer@qaf.example')),
  })
  t.equal(notAuditor.statusCode, 400)
  t.match(notAuditor.body, /Select an active auditor/)
  const otherRound = await admin.post(`/rounds/${id}/allocation/reassign`, {
    caseIds: '999999',
    auditorId: String(ash),
  })
  t.equal(otherRound.statusCode, 400)
  t.match(otherRound.body, /Select cases from this round’s sample/)
  const junk = await admin.post(`/rounds/${id}/allocation/reassign`, { caseIds: 'abc', auditorId: 'x' })
  t.equal(junk.statusCode, 400)
  const noneChosen = await admin.post(`/rounds/${id}/allocation/auto`, {})
  t.equal(noneChosen.statusCode, 400)
  t.match(noneChosen.body, /Select at least one active auditor/)
  const notActive = await admin.post(`/rounds/${id}/allocation/auto`, {
    auditorIds: String(userId(db, 'moderator@qaf.example')),
  })
  t.equal(notActive.statusCode, 400)
})

t.test('a replacement stays with the auditor unless it is from their home agency', async (t) => {
  const { db, admin, id, ash, sam } = await drawnRound(t, 60)
  await admin.post(`/rounds/${id}/draw`, drawForm({ sampleSize: '12', minimumPerStratum: '0', confirmRedraw: 'yes' }))
  await admin.post(`/rounds/${id}/allocation/auto`, { auditorIds: [String(ash), String(sam)] })
  const rows = holdings(db, id)
  for (const r of rows.slice(0, 6)) {
    const res = await admin.post(`/rounds/${id}/sample/${r.id}/replace`, { reasonKind: 'out_of_scope', details: '' })
    t.equal(res.statusCode, 303)
    const added = db.select().from(sampleCases).where(eq(sampleCases.replacesId, r.id)).get()!
    const auditor =
      r.auditorId === ash
        ? { id: ash, agency: agencyId(db, 'Victim Support') }
        : { id: sam, agency: agencyId(db, 'HMCTS') }
    t.equal(added.auditorId, added.owningAgencyId === auditor.agency ? null : auditor.id)
  }
})
