// Dip samples of commissioned services: rounds of their own question set, reviewed by the Victims'
// Advocate through the case review engine and scored through the same code as the Code rounds.
import t from 'tap'
import { and, eq } from 'drizzle-orm'
import { agencies, answers, rounds, sampleCases, timeLimitOverrides, users } from '../../schema/index.ts'
import type { Db } from '../../schema/database.ts'
import { compliance } from '../../audits/scoring.ts'
import { wilsonInterval } from '../../audits/proportion-intervals.ts'
import { buildRoundModel } from '../../server/services/scores/round-model.ts'
import { findRound } from '../../server/services/scores/rounds-queries.ts'
import { commissionedServiceScores } from '../../server/services/scores/commissioned-scores.ts'
import type { Scope } from '../../server/scope.ts'
import { loadDemoCommissioned } from '../../seeds/demo-commissioned.ts'
import { unallocatedCount } from '../../server/services/rounds/queries.ts'
import { buildTestApp, signedIn } from '../fixtures/app.ts'
import { roundForm } from '../fixtures/rounds.ts'
import {
  addPopulationCase,
  allocateCase,
  answerFields,
  answerUrl,
  createRound as createReviewRound,
  setTimeLimitOverride,
  userIdOf,
} from '../fixtures/review.ts'
import { addCase, addAnswer, agencyIdByName, createRound as createScoreRound, times } from '../fixtures/scores.ts'
import { rowStarting, textOf } from '../fixtures/html.ts'

const VICTIM_SUPPORT = 'Victim Support (Cumbria integrated victim service)'
const BRIDGEWAY = 'Bridgeway sexual assault referral centre'
const REMEDI = 'Remedi restorative justice'

function makeCommissioned(db: Db, roundId: number): void {
  db.update(rounds).set({ framework: 'commissioned_services' }).where(eq(rounds.id, roundId)).run()
}

/** Another account with a demo user's password, for a role or agency the demo has no second of. */
function addUser(db: Db, email: string, role: 'advocate' | 'agency', agencyId: number | null = null): void {
  const like = db.select().from(users).where(eq(users.email, 'advocate@qaf.example')).get()
  if (!like) throw new Error('no demo advocate')
  const { id: _id, ...rest } = like
  db.insert(users)
    .values({ ...rest, email, displayName: `Second ${role}`, role, agencyId })
    .run()
}

function scopeOf(db: Db, email: string): Scope {
  const u = db.select().from(users).where(eq(users.email, email)).get()
  if (!u) throw new Error(`no ${email}`)
  return { userId: u.id, email: u.email, displayName: u.displayName, role: u.role, agencyId: u.agencyId }
}

t.test('an admin sets up a dip sample of commissioned services through the round form', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const form = await admin.get('/rounds/new')
  t.match(form.body, /A dip sample of commissioned services/)

  const wrongEdition = await admin.post(
    '/rounds/new',
    roundForm({ framework: 'commissioned_services', edition: '2015' }),
  )
  t.equal(wrongEdition.statusCode, 400)
  t.match(textOf(wrongEdition.body), /There is a problem .*judged under the 2020 Code: select the 2020 Code/)
  const unknown = await admin.post('/rounds/new', roundForm({ framework: 'everything' }))
  t.equal(unknown.statusCode, 400)
  t.match(textOf(unknown.body), /Select what the round audits/)
  t.equal(db.select().from(rounds).all().length, 0, 'nothing saved from a refused form')

  const services = [VICTIM_SUPPORT, BRIDGEWAY, REMEDI].map((name) => String(agencyIdByName(db, name)))
  const made = await admin.post(
    '/rounds/new',
    roundForm({ name: 'Dip sample 2025', framework: 'commissioned_services', agencyIds: services }),
  )
  t.equal(made.statusCode, 303)
  const round = db.select().from(rounds).where(eq(rounds.name, 'Dip sample 2025')).get()
  t.equal(round?.framework, 'commissioned_services')
  const page = await admin.get(`/rounds/${round?.id}`)
  t.match(textOf(page.body), /Audits A dip sample of commissioned services, reviewed by the Victims’ Advocate/)

  // Its local targets are the commissioned questions', never a Code item's.
  const overrides = await admin.get(`/rounds/${round?.id}/overrides`)
  t.match(
    overrides.body,
    /CS1: First contact within the service&#39;s target \(default target: 2 working days, enhanced 1\)/,
  )
  t.notMatch(overrides.body, /value="R4\.1"/)
  const codeItem = await admin.post(`/rounds/${round?.id}/overrides`, {
    itemId: 'R4.1',
    standardDays: '3',
    enhancedDays: '',
    reason: 'Contract',
  })
  t.equal(codeItem.statusCode, 400)
  t.match(textOf(codeItem.body), /Select the entitlement the local agreement changes/)
  const target = await admin.post(`/rounds/${round?.id}/overrides`, {
    itemId: 'CS1',
    standardDays: '3',
    enhancedDays: '',
    reason: 'The 2025 contract: first contact within 3 working days',
  })
  t.equal(target.statusCode, 303)
  t.same(
    db
      .select({ itemId: timeLimitOverrides.itemId, standardDays: timeLimitOverrides.standardDays })
      .from(timeLimitOverrides)
      .all(),
    [{ itemId: 'CS1', standardDays: 3 }],
  )
})

t.test('an admin allocates a dip sample to the Victims’ Advocate, never to an auditor', async (t) => {
  const { app, db } = await buildTestApp(t)
  const dip = createReviewRound(db, { name: 'Dip sample', status: 'sampling', agencies: ['Victim Support'] })
  makeCommissioned(db, dip)
  const cases = [1, 2, 3].map((n) =>
    allocateCase(
      db,
      dip,
      addPopulationCase(db, dip, {
        caseRef: `VS-25-000${n}`,
        reportedOn: '2025-04-28',
        offenceGroup: 'theft',
        agencyRef: 'Victim Support',
        events: [{ type: 'service_referral', date: '2025-05-02' }],
      }),
      { auditor: null },
    ),
  )
  const admin = await signedIn(app, 'admin@qaf.example')
  const page = await admin.get(`/rounds/${dip}/allocation`)
  t.equal(page.statusCode, 200)
  t.match(textOf(page.body), /Allocate cases to the Victims’ Advocate/)
  const holders = () =>
    db
      .select({ auditorId: sampleCases.auditorId })
      .from(sampleCases)
      .where(eq(sampleCases.roundId, dip))
      .all()
      .map((c) => c.auditorId)

  const toAuditor = await admin.post(`/rounds/${dip}/allocation/auto`, {
    auditorIds: [String(userIdOf(db, 'auditor@qaf.example'))],
  })
  t.equal(toAuditor.statusCode, 400)
  t.match(textOf(toAuditor.body), /Select the Victims’ Advocate to review the dip sample/)
  t.same(holders(), [null, null, null], 'nothing allocated')
  const none = await admin.post(`/rounds/${dip}/allocation/auto`, {})
  t.equal(none.statusCode, 400)

  const advocateId = userIdOf(db, 'advocate@qaf.example')
  const toAdvocate = await admin.post(`/rounds/${dip}/allocation/auto`, { auditorIds: [String(advocateId)] })
  t.equal(toAdvocate.statusCode, 303)
  t.same(holders(), [advocateId, advocateId, advocateId])
  t.equal(cases.length, 3)
  t.equal(unallocatedCount(db, dip), 0, 'the advocate counts as a reviewer of a dip sample')
})

t.test('the Victims’ Advocate reviews the cases allocated to them, and no others', async (t) => {
  const { app, db } = await buildTestApp(t)
  addUser(db, 'advocate2@qaf.example', 'advocate')
  const dip = createReviewRound(db, { name: 'Dip sample', agencies: ['Victim Support', 'Bridgeway', 'Remedi'] })
  makeCommissioned(db, dip)
  const referral = {
    reportedOn: '2025-04-28',
    offenceGroup: 'sexual',
    agencyRef: 'Bridgeway',
    events: [{ type: 'service_referral', date: '2025-05-02' }],
  }
  const mine = allocateCase(db, dip, addPopulationCase(db, dip, { ...referral, caseRef: 'SARC-25-0001' }), {
    auditor: 'advocate@qaf.example',
  })
  const theirs = allocateCase(db, dip, addPopulationCase(db, dip, { ...referral, caseRef: 'SARC-25-0002' }), {
    auditor: 'advocate2@qaf.example',
  })
  const code = createReviewRound(db, { name: 'Code round' })
  const codeCase = allocateCase(
    db,
    code,
    addPopulationCase(db, code, { caseRef: 'CUM-1', reportedOn: '2024-03-01', offenceGroup: 'theft' }),
  )

  const advocate = await signedIn(app, 'advocate@qaf.example')
  const page = await advocate.get(`/cases/${mine}`)
  t.equal(page.statusCode, 200)
  const text = textOf(page.body)
  t.match(text, /4 questions of the commissioned-services dip sample applied/)
  t.match(text, /Questions Dip sample of a commissioned service, from referral to closure/)
  t.match(text, /Reviewer Val Advocate/)
  t.match(text, /CS1 First contact within the service's target \(Commissioned services\)/)
  t.match(text, /Did the service first contact the victim within its target after the referral was received\?/)
  t.notMatch(text, /R4\.1/, 'no Code items in a dip sample')

  const list = await advocate.get('/worklist')
  t.equal(list.statusCode, 200)
  t.match(list.body, /SARC-25-0001/)
  t.notMatch(list.body, /SARC-25-0002/, "another advocate's case is not on the worklist")
  t.notMatch(list.body, /CUM-1/)

  for (const id of [theirs, codeCase]) t.equal((await advocate.get(`/cases/${id}`)).statusCode, 404, `case ${id}`)
  const key = 'CS1@2025-05-02#1'
  const refused = await advocate.post(answerUrl(theirs, key), answerFields(key, { outcome: 'met' }))
  t.equal(refused.statusCode, 404)
  const auditor = await signedIn(app, 'auditor@qaf.example')
  t.equal((await auditor.get(`/cases/${mine}`)).statusCode, 404, "an auditor does not open the advocate's case")

  // A sexual-offence complainant is entitled to enhanced services, so first contact was due within
  // one working day of Friday's referral: Tuesday 6 May (Monday 5 May was a bank holiday). Contact
  // on Wednesday 7 May is a day late. The answer counts to the SARC, though its type is "other".
  const saved = await advocate.post(answerUrl(mine, key), answerFields(key, { outcome: 'met', evidence: '2025-05-07' }))
  t.equal(saved.statusCode, 303)
  const stored = db
    .select()
    .from(answers)
    .where(and(eq(answers.sampleCaseId, mine), eq(answers.obligationKey, key)))
    .get()
  t.match(stored, {
    itemId: 'CS1',
    outcome: 'met',
    dueDate: '2025-05-06',
    daysLate: 1,
    agencyId: agencyIdByName(db, BRIDGEWAY),
    updatedBy: userIdOf(db, 'advocate@qaf.example'),
  })
  t.equal(db.select().from(answers).where(eq(answers.sampleCaseId, theirs)).all().length, 0)

  // The round's own target, as a time-limit override: two working days for enhanced victims too.
  // A Code item's override left on the round is ignored rather than breaking the case page.
  setTimeLimitOverride(db, dip, 'CS1', null, 2)
  setTimeLimitOverride(db, dip, 'R4.2', 1, 1)
  const contract = await advocate.post(
    answerUrl(mine, key),
    answerFields(key, { outcome: 'met', evidence: '2025-05-07', version: 1 }),
  )
  t.equal(contract.statusCode, 303)
  t.match(
    db
      .select()
      .from(answers)
      .where(and(eq(answers.sampleCaseId, mine), eq(answers.obligationKey, key)))
      .get(),
    { dueDate: '2025-05-07', daysLate: 0, version: 2 },
    'on time against the round’s target',
  )
  t.match(textOf((await advocate.get(`/cases/${mine}`)).body), /CS1 First contact/)

  const invalid = await advocate.post(
    answerUrl(mine, key),
    answerFields(key, { outcome: 'met', evidence: '2025-02-30', version: 2 }),
  )
  t.equal(invalid.statusCode, 400, 'a date that does not exist is refused')
  t.equal(
    db
      .select()
      .from(answers)
      .where(and(eq(answers.sampleCaseId, mine), eq(answers.obligationKey, key)))
      .get()?.evidenceDate,
    '2025-05-07',
    'and changes nothing',
  )
})

t.test('the commissioned-services framework is scored through the same code as the Code', async (t) => {
  const { app, db } = await buildTestApp(t)
  const vs = agencyIdByName(db, VICTIM_SUPPORT)
  // The same answers, once against a Code item and once against a commissioned question:
  // 7 met, 1 partially met, 1 not met, 1 not evidenced, 1 not applicable.
  const outcomes = [...times(7, 'met'), 'partially_met', 'not_met', 'not_evidenced', 'not_applicable'] as const
  const seed = (name: string, item: string, commissioned: boolean) => {
    const roundId = createScoreRound(db, { name, agencyIds: [vs] })
    if (commissioned) makeCommissioned(db, roundId)
    const caseId = addCase(db, roundId, { status: 'complete' })
    outcomes.forEach((outcome, i) => {
      addAnswer(db, caseId, { item, agencyId: vs, outcome, key: `${item}#${i}` })
    })
    return roundId
  }
  const codeRound = seed('Code round', 'R4.1', false)
  const dipRound = seed('Dip sample', 'CS2', true)

  // Worked by hand: strict 7/10 = 70.0%, Wilson 95% interval 39.7% to 89.2%; lenient 8/10.
  const expected = compliance({ met: 7, partial: 1, notMet: 1, notEvidenced: 1, notApplicable: 1 })
  t.equal(expected.strict.rate, 0.7)
  t.same(expected.strict.interval, wilsonInterval(7, 10))
  t.equal(Math.round((expected.strict.interval?.lower ?? 0) * 1000), 397)
  t.equal(Math.round((expected.strict.interval?.upper ?? 0) * 1000), 892)

  const admin = scopeOf(db, 'admin@qaf.example')
  const model = (id: number) => {
    const round = findRound(db, admin, id)
    if (!round) throw new Error(`round ${id}`)
    return buildRoundModel(db, admin, round, 'full')
  }
  const code = model(codeRound)
  const dip = model(dipRound)
  const vsBlock = (m: typeof code) => m.blocks.find((b) => b.agency?.id === vs)
  t.same(vsBlock(dip)?.overall, vsBlock(code)?.overall, 'the same figure from the same round model')
  t.match(vsBlock(dip)?.overall, { n: 10, k: 7, rate: 0.7, lower: expected.strict.interval?.lower })
  t.same(
    vsBlock(dip)?.items.map((i) => i.id),
    ['CS1', 'CS2', 'CS3', 'CS4', 'CS5', 'CS6'],
    "the dip sample's blocks list its own questions",
  )
  t.equal(vsBlock(dip)?.groups[0]?.name, 'Contact and assessment')

  const session = await signedIn(app, 'admin@qaf.example')
  for (const id of [codeRound, dipRound]) {
    const page = await session.get(`/scores/rounds/${id}`)
    t.equal(page.statusCode, 200)
    t.match(rowStarting(page.body, 'heatmap-row', VICTIM_SUPPORT), /70\.0% \(n = 10\) 95% interval 39\.7% to 89\.2%/)
    t.match(rowStarting(page.body, 'overall-row', VICTIM_SUPPORT), /80\.0% \(n = 10\)/, 'lenient')
  }
  const dipPage = await session.get(`/scores/rounds/${dipRound}`)
  t.match(textOf(dipPage.body), /Commissioned services/)
  t.notMatch(dipPage.body, /Ministry of Justice measures/, 'the Ministry measures are the Code’s')
  const summary = await session.get('/scores/summary')
  t.notMatch(summary.body, /Dip sample/, 'the partnership summary compares Code rounds only')
})

t.test('demo dip sample: reviewed, published, each service sees only its own scores', async (t) => {
  const { app, db } = await buildTestApp(t)
  const dipId = await loadDemoCommissioned(db)
  const round = db.select().from(rounds).where(eq(rounds.id, dipId)).get()
  t.match(round, { framework: 'commissioned_services', status: 'published' })
  const cases = db.select().from(sampleCases).where(eq(sampleCases.roundId, dipId)).all()
  t.equal(cases.length, 30)
  t.ok(
    cases.every((c) => c.status === 'complete' && c.auditorId === userIdOf(db, 'advocate@qaf.example')),
    'every case reviewed by the advocate',
  )

  const bridgeway = agencyIdByName(db, BRIDGEWAY)
  const remedi = agencyIdByName(db, REMEDI)
  addUser(db, 'sarc@qaf.example', 'agency', bridgeway)
  const lead = await signedIn(app, 'sarc@qaf.example')
  const page = await lead.get(`/scores/rounds/${dipId}`)
  t.equal(page.statusCode, 200)
  t.match(page.body, /Bridgeway sexual assault referral centre/)
  t.notMatch(page.body, /Remedi restorative justice|Victim Support \(Cumbria/, "no other service's figures")
  t.equal((await lead.get(`/scores/rounds/${dipId}/agencies/${remedi}`)).statusCode, 404)
  t.equal((await lead.get(`/scores/rounds/${dipId}/agencies/${bridgeway}`)).statusCode, 200)
  t.equal((await lead.get(`/cases/${cases[0]?.id}`)).statusCode, 404, 'agencies never open case files')

  const advocate = await signedIn(app, 'advocate@qaf.example')
  const all = await advocate.get(`/scores/rounds/${dipId}`)
  for (const name of [VICTIM_SUPPORT, BRIDGEWAY, REMEDI]) {
    t.match(rowStarting(all.body, 'heatmap-row', name), /\d+\.\d% \(n = \d+\) 95% interval \d+\.\d% to \d+\.\d%/, name)
  }
  t.equal(db.select().from(agencies).where(eq(agencies.id, bridgeway)).get()?.type, 'other')

  t.notMatch(all.body, /Victims' enhanced status/, 'no tally of enhanced flags: a dip sample does not record them')
  const csv = await advocate.get(`/scores/rounds/${dipId}/export.csv`)
  t.match(csv.body, /,Bridgeway sexual assault referral centre,stage,Contact and assessment,Contact and assessment,/)
  t.match(csv.body, /,Bridgeway sexual assault referral centre,item,CS1,First contact within the service's target,/)

  // The advocate's home page figures: each service's latest finished dip sample, the round page's own.
  const latest = commissionedServiceScores(db, scopeOf(db, 'advocate@qaf.example'))
  t.same(
    latest.map((s) => s.agencyName),
    [BRIDGEWAY, REMEDI, VICTIM_SUPPORT],
  )
  const shown = findRound(db, scopeOf(db, 'advocate@qaf.example'), dipId)
  if (!shown) throw new Error('dip round')
  const model = buildRoundModel(db, scopeOf(db, 'advocate@qaf.example'), shown, 'summary')
  for (const s of latest) {
    t.same(
      s.figure,
      model.blocks.find((b) => b.agency?.id === s.agencyId)?.overall,
      `${s.agencyName}: the round's figure`,
    )
    t.equal(s.round.id, dipId)
    t.ok(s.figure.n > 0 && s.figure.lower !== null && s.figure.upper !== null, 'with its interval')
  }
  // …and on the advocate's home page, each with its interval and a way to the service's scores.
  const home = await advocate.get('/')
  for (const s of latest) {
    const row = rowStarting(home.body, 'home-commissioned-row', s.agencyName)
    const pct = (x: number | null) => `${((x ?? 0) * 100).toFixed(1)}%`
    t.match(
      row,
      `${pct(s.figure.rate)} (n = ${s.figure.n}) 95% interval ${pct(s.figure.lower)} to ${pct(s.figure.upper)}`,
    )
    t.match(home.body, `href="/scores/rounds/${dipId}/agencies/${s.agencyId}"`)
  }
  t.same(
    commissionedServiceScores(db, scopeOf(db, 'sarc@qaf.example')).map((s) => s.agencyName),
    [BRIDGEWAY],
    'an agency lead sees only their own service',
  )
})
