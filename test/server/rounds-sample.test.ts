import t from 'tap'
import { createHash } from 'node:crypto'
import { and, asc, eq, sql } from 'drizzle-orm'
import { auditLog, populationCases, sampleCases, sampleDraws } from '../../schema/index.ts'
import type { Db } from '../../schema/database.ts'
import { drawSample, seededOrder } from '../../audits/sampling.ts'
import { stratumSeed } from '../../audits/seeded-random.ts'
import { readSamplingFrame } from '../../server/services/rounds/sampling-frame.ts'
import { buildTestApp, signedIn, flashOf } from '../fixtures/app.ts'
import { agencyId, drawForm, insertPopulation, insertRound, setStatus, userId } from '../fixtures/rounds.ts'

/** The drawn cases of a round as "stratum:position:case_ref", in draw order. */
function drawn(db: Db, roundId: number): string[] {
  return db
    .select({ stratum: sampleCases.stratum, pos: sampleCases.drawPosition, ref: populationCases.caseRef })
    .from(sampleCases)
    .innerJoin(populationCases, eq(sampleCases.populationCaseId, populationCases.id))
    .where(eq(sampleCases.roundId, roundId))
    .orderBy(asc(sampleCases.stratum), asc(sampleCases.drawPosition))
    .all()
    .map((r) => `${r.stratum}:${r.pos}:${r.ref}`)
}

function refsOf(db: Db, roundId: number, district: string): string[] {
  return db
    .select({ ref: populationCases.caseRef })
    .from(populationCases)
    .where(and(eq(populationCases.roundId, roundId), eq(populationCases.district, district)))
    .all()
    .map((r) => r.ref)
}

function sampleRowsOf(db: Db, roundId: number) {
  return db
    .select({
      id: sampleCases.id,
      ref: populationCases.caseRef,
      stratum: sampleCases.stratum,
      pos: sampleCases.drawPosition,
      status: sampleCases.status,
      replacesId: sampleCases.replacesId,
      reason: sampleCases.replacementReason,
      auditorId: sampleCases.auditorId,
      owningAgencyId: sampleCases.owningAgencyId,
    })
    .from(sampleCases)
    .innerJoin(populationCases, eq(sampleCases.populationCaseId, populationCases.id))
    .where(eq(sampleCases.roundId, roundId))
    .orderBy(asc(sampleCases.id))
    .all()
}

t.test('the planner shows sizes, the split between strata and what the sample means', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { status: 'sampling' })
  const empty = await admin.get(`/rounds/${id}/planner`)
  t.match(empty.body, /No population has been imported into this round yet/)

  insertPopulation(db, id, 500)
  const page = await admin.get(`/rounds/${id}/planner`)
  t.equal(page.statusCode, 200)
  t.match(page.body, /Sample sizes for the whole population of 500 cases/)
  t.match(
    page.body,
    /<strong>218<\/strong><span class="govuk-visually-hidden"> \(chosen\)/,
    '±5 at 95% is 218 and is marked as chosen',
  )
  t.match(page.body, /A sample of 218 gives the compliance rate to within about ±5 percentage points, 19 times in 20\./)
  t.match(page.body, /Allerdale/)
  t.match(page.body, /South Lakeland/)
  t.match(page.body, /data-qa="draw-form"/)

  const wider = await admin.get(
    `/rounds/${id}/planner?marginOfError=100&confidence=90&stratifyBy=offence_group&allocation=equal&minimumPerStratum=0`,
  )
  t.match(wider.body, /within about ±10 percentage points, 9 times in 10/)
  t.match(wider.body, /Criminal damage and arson/)

  const custom = await admin.get(`/rounds/${id}/planner?sampleSize=100`)
  t.match(custom.body, /A sample of 100 gives the compliance rate to within about ±8\.8 percentage points/)

  const fragment = await admin.get(`/rounds/${id}/planner?stratifyBy=none`, { 'hx-request': 'true' })
  t.equal(fragment.statusCode, 200)
  t.notMatch(fragment.body, /<html/, 'htmx gets the results fragment')
  t.match(fragment.body, /All cases/)

  const tooHigh = await admin.get(`/rounds/${id}/planner?minimumPerStratum=50&sampleSize=100`)
  t.equal(tooHigh.statusCode, 400)
  t.match(tooHigh.body, /A minimum of 50 per stratum needs 300 cases, more than the sample of 100/)
  t.match(tooHigh.body, /href="#minimumPerStratum"/)
  const tooHighFragment = await admin.get(`/rounds/${id}/planner?minimumPerStratum=50&sampleSize=100`, {
    'hx-request': 'true',
  })
  t.match(tooHighFragment.body, /There is a problem/, 'the fragment carries its own error summary')

  const nonsense = await admin.get(`/rounds/${id}/planner?marginOfError=3&stratifyBy=postcode&sampleSize=-4`)
  t.equal(nonsense.statusCode, 400)
  for (const f of ['marginOfError', 'stratifyBy', 'sampleSize']) t.match(nonsense.body, new RegExp(`href="#${f}"`), f)
  t.equal((await admin.get(`/rounds/${id}/planner?sampleSize=501`)).statusCode, 400, 'larger than the population')
})

t.test(
  'the draw follows seededOrder per stratum; the same seed gives the same sample, another seed another',
  async (t) => {
    const { app, db } = await buildTestApp(t)
    const admin = await signedIn(app, 'admin@qaf.example')
    const a = insertRound(db, { status: 'sampling' })
    const b = insertRound(db, { status: 'sampling' })
    const c = insertRound(db, { status: 'sampling' })
    for (const id of [a, b, c]) insertPopulation(db, id, 600)

    t.equal((await admin.post(`/rounds/${a}/draw`, drawForm({ seed: 'cumbria-2025' }))).statusCode, 303)
    t.equal((await admin.post(`/rounds/${b}/draw`, drawForm({ seed: 'cumbria-2025' }))).statusCode, 303)
    t.equal((await admin.post(`/rounds/${c}/draw`, drawForm({ seed: 'another-seed' }))).statusCode, 303)
    const sampleA = drawn(db, a)
    t.equal(sampleA.length, 235, 'the ±5% at 95% size for 600 cases')
    t.same(drawn(db, b), sampleA, 'same population and seed: the same cases in the same order')
    t.not(drawn(db, c).join(), sampleA.join(), 'another seed: another sample')

    // The reference implementation picks exactly the same cases.
    const draw = db.select().from(sampleDraws).where(eq(sampleDraws.roundId, a)).get()!
    const strata = JSON.parse(draw.strata) as { key: string; population: number; take: number }[]
    t.equal(
      strata.reduce((s, x) => s + x.take, 0),
      235,
    )
    const expected = drawSample({
      seed: 'cumbria-2025',
      strata: strata.map((s) => ({ key: s.key, ids: refsOf(db, a, s.key), take: s.take })),
    })
    t.same(
      sampleA,
      expected.flatMap((s) => s.chosen.map((ref, i) => `${s.key}:${i}:${ref}`)),
    )

    // The population fingerprint is reproducible from the documented recipe.
    const lines = db.$client
      .prepare('select case_ref, district from population_cases where round_id = ? order by case_ref')
      .raw()
      .all(a) as [string, string][]
    const sha = createHash('sha256')
      .update(lines.map(([ref, d]) => `${ref}\t${d}\n`).join(''))
      .digest('hex')
    t.equal(draw.populationSha256, sha)
    t.equal(db.select().from(sampleDraws).where(eq(sampleDraws.roundId, b)).get()?.populationSha256, sha)
    t.match(draw, {
      seed: 'cumbria-2025',
      stratifyBy: 'district',
      allocation: 'proportional',
      marginOfError: 50,
      confidence: 95,
      minimumPerStratum: 5,
      drawnBy: userId(db, 'admin@qaf.example'),
    })
    const log = db.select().from(auditLog).where(eq(auditLog.action, 'sample_drawn')).all()
    t.equal(log.length, 3)
    t.match(String(log[0]?.after), /"seed":"cumbria-2025"/)
  },
)

t.test(
  'a blank seed is generated at random and shown; a redraw needs confirming and only happens before fieldwork',
  async (t) => {
    const { app, db } = await buildTestApp(t)
    const admin = await signedIn(app, 'admin@qaf.example')
    const id = insertRound(db)
    insertPopulation(db, id, 300)
    const tooEarly = await admin.post(`/rounds/${id}/draw`, drawForm())
    t.equal(tooEarly.statusCode, 400)
    t.match(tooEarly.body, /only change the sample draw while the round is in sampling/)
    setStatus(db, id, 'sampling')

    const res = await admin.post(`/rounds/${id}/draw`, drawForm({ seed: '' }))
    t.equal(res.statusCode, 303)
    const seed = db.select().from(sampleDraws).get()!.seed
    t.match(seed, /^[0-9a-f]{16}$/)
    const shown = await admin.get(res.headers.location as string)
    t.match(shown.body, new RegExp(`Sample drawn: \\d+ cases with seed ${seed}`))
    t.match(shown.body, new RegExp(`<code>${seed}</code>`))
    const first = drawn(db, id)

    const unconfirmed = await admin.post(`/rounds/${id}/draw`, drawForm({ seed: 'second' }))
    t.equal(unconfirmed.statusCode, 400)
    t.match(unconfirmed.body, /Confirm that you want to replace the sample already drawn/)
    t.same(drawn(db, id), first)

    const badSeed = await admin.post(`/rounds/${id}/draw`, drawForm({ seed: 'x'.repeat(65), confirmRedraw: 'yes' }))
    t.equal(badSeed.statusCode, 400)
    t.match(badSeed.body, /Seed must be 64 characters or fewer/)

    t.equal(
      (await admin.post(`/rounds/${id}/draw`, drawForm({ seed: 'second', confirmRedraw: 'yes' }))).statusCode,
      303,
    )
    t.not(drawn(db, id).join(), first.join())
    t.equal(db.select().from(sampleDraws).all().length, 1, 'one frozen draw per round')
    const redraw = db.select().from(auditLog).where(eq(auditLog.action, 'sample_redrawn')).get()
    t.match(String(redraw?.before), new RegExp(`"seed":"${seed}"`), 'the replaced draw is kept in the log')

    // Once fieldwork starts there is no way to re-roll.
    await admin.post(`/rounds/${id}/allocation/auto`, { auditorIds: String(userId(db, 'auditor@qaf.example')) })
    t.equal((await admin.post(`/rounds/${id}/status/fieldwork`, {})).statusCode, 303)
    const second = drawn(db, id)
    const refused = await admin.post(`/rounds/${id}/draw`, drawForm({ seed: 'third', confirmRedraw: 'yes' }))
    t.equal(refused.statusCode, 400)
    t.match(refused.body, /only change the sample draw while the round is in sampling. This round is in fieldwork/)
    t.same(drawn(db, id), second)
    t.equal(db.select().from(sampleDraws).get()?.seed, 'second')
    t.notMatch((await admin.get(`/rounds/${id}/planner`)).body, /data-qa="draw-form"/)
  },
)

t.test('replacing an unusable case takes the next reserve of its stratum and keeps the reason', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { status: 'sampling' })
  insertPopulation(db, id, 120)
  await admin.post(`/rounds/${id}/draw`, drawForm({ sampleSize: '24', minimumPerStratum: '0' }))
  await admin.post(`/rounds/${id}/allocation/auto`, { auditorIds: String(userId(db, 'auditor@qaf.example')) })
  await admin.post(`/rounds/${id}/status/fieldwork`, {})
  const before = sampleRowsOf(db, id)
  const target = before.find((r) => r.stratum === 'carlisle')!
  db.update(sampleCases)
    .set({ status: 'unusable', unusableReason: 'File destroyed in flood' })
    .where(eq(sampleCases.id, target.id))
    .run()

  const form = await admin.get(`/rounds/${id}/sample/${target.id}/replace`)
  t.equal(form.statusCode, 200)
  t.match(form.body, /The auditor reported this case unusable: File destroyed in flood/)
  t.match(form.body, /Do not enter names or other personal details/)

  const noReason = await admin.post(`/rounds/${id}/sample/${target.id}/replace`, { details: '' })
  t.equal(noReason.statusCode, 400)
  t.match(noReason.body, /Select why the case cannot be audited/)
  const otherBlank = await admin.post(`/rounds/${id}/sample/${target.id}/replace`, {
    reasonKind: 'other',
    details: ' ',
  })
  t.match(otherBlank.body, /Enter why the case cannot be audited/)
  t.same(
    sampleRowsOf(db, id),
    before.map((r) => (r.id === target.id ? { ...r, status: 'unusable' } : r)),
    'nothing replaced yet',
  )

  const res = await admin.post(`/rounds/${id}/sample/${target.id}/replace`, {
    reasonKind: 'file_missing',
    details: 'Destroyed in the 2024 flood',
  })
  t.equal(res.statusCode, 303)
  const after = sampleRowsOf(db, id)
  const old = after.find((r) => r.id === target.id)!
  const added = after.find((r) => r.replacesId === target.id)!
  t.equal(old.status, 'replaced')
  t.equal(old.reason, 'Case file missing: Destroyed in the 2024 flood')
  t.match(added, {
    stratum: 'carlisle',
    status: 'not_started',
    reason: 'Case file missing: Destroyed in the 2024 flood',
    auditorId: target.auditorId,
  })
  const carlisle = before.filter((r) => r.stratum === 'carlisle')
  t.equal(added.pos, carlisle.length, 'the next place in the stratum’s order')
  const order = seededOrder(refsOf(db, id, 'carlisle'), stratumSeed('test-seed', 'carlisle'))
  t.equal(added.ref, order[carlisle.length], 'the next case in the seeded order')
  t.notOk(
    before.some((r) => r.ref === added.ref),
    'not a case already in the sample',
  )
  t.same(
    after.filter((r) => r.id !== target.id && r.id !== added.id),
    before.filter((r) => r.id !== target.id),
    'every other case untouched',
  )
  t.match(flashOf(res), new RegExp(`${target.ref} replaced by ${added.ref}`))

  const sample = await admin.get(`/rounds/${id}/sample`)
  t.match(sample.body, new RegExp(`Replaced by ${added.ref}: Case file missing: Destroyed in the 2024 flood`))
  t.match(sample.body, new RegExp(`Replaces ${target.ref}`))

  const again = await admin.post(`/rounds/${id}/sample/${target.id}/replace`, { reasonKind: 'duplicate', details: '' })
  t.equal(again.statusCode, 400)
  t.match(again.body, /already been replaced/)
  db.update(sampleCases).set({ status: 'in_progress' }).where(eq(sampleCases.id, added.id)).run()
  const busy = await admin.post(`/rounds/${id}/sample/${added.id}/replace`, { reasonKind: 'duplicate', details: '' })
  t.equal(busy.statusCode, 400)
  t.match(busy.body, /being reviewed/)
  t.ok(db.select().from(auditLog).where(eq(auditLog.action, 'sample_case_replaced')).get())
})

t.test('a stratum with no reserve left says so', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { status: 'sampling' })
  insertPopulation(db, id, 6, { district: () => 'eden' })
  await admin.post(`/rounds/${id}/draw`, drawForm({ sampleSize: '6', stratifyBy: 'district' }))
  const one = db.select({ id: sampleCases.id }).from(sampleCases).get()!
  const res = await admin.post(`/rounds/${id}/sample/${one.id}/replace`, { reasonKind: 'out_of_scope', details: '' })
  t.equal(res.statusCode, 400)
  t.match(res.body, /no reserve cases left in the eden stratum/)
  t.equal(db.select().from(sampleCases).where(eq(sampleCases.status, 'replaced')).all().length, 0)
})

t.test('extending the sample adds the next cases and leaves every earlier draw as it was', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { status: 'sampling' })
  insertPopulation(db, id, 300)
  await admin.post(`/rounds/${id}/draw`, drawForm({ sampleSize: '30', minimumPerStratum: '0' }))
  const before = sampleRowsOf(db, id)

  const res = await admin.post(`/rounds/${id}/sample/extend`, { additional: '12', stratum: '' })
  t.equal(res.statusCode, 303)
  const after = sampleRowsOf(db, id)
  t.same(after.slice(0, before.length), before, 'earlier cases unchanged')
  const added = after.slice(before.length)
  t.equal(added.length, 12)
  t.ok(added.every((r) => r.auditorId === null && r.status === 'not_started'))
  // Each stratum's cases are still the start of its seeded order, with no gaps.
  for (const key of new Set(after.map((r) => r.stratum))) {
    const mine = after.filter((r) => r.stratum === key).sort((x, y) => x.pos - y.pos)
    t.same(
      mine.map((r) => r.ref),
      seededOrder(refsOf(db, id, key), stratumSeed('test-seed', key)).slice(0, mine.length),
      key,
    )
  }
  const strata = JSON.parse(db.select().from(sampleDraws).get()!.strata) as { take: number }[]
  t.equal(
    strata.reduce((s, x) => s + x.take, 0),
    42,
    'the frozen design records the new size',
  )

  const onlyEden = await admin.post(`/rounds/${id}/sample/extend`, { additional: '3', stratum: 'eden' })
  t.equal(onlyEden.statusCode, 303)
  t.same(
    sampleRowsOf(db, id)
      .slice(after.length)
      .map((r) => r.stratum),
    ['eden', 'eden', 'eden'],
  )

  const tooMany = await admin.post(`/rounds/${id}/sample/extend`, { additional: '1000', stratum: '' })
  t.equal(tooMany.statusCode, 400)
  t.match(tooMany.body, /Only \d+ population cases are not yet in the sample/)
  const zero = await admin.post(`/rounds/${id}/sample/extend`, { additional: '0', stratum: '' })
  t.equal(zero.statusCode, 400)
  t.match(zero.body, /Enter how many cases to add/)
  const unknown = await admin.post(`/rounds/${id}/sample/extend`, { additional: '2', stratum: 'atlantis' })
  t.equal(unknown.statusCode, 400)
  t.equal(sampleRowsOf(db, id).length, 45)
  t.ok(db.select().from(auditLog).where(eq(auditLog.action, 'sample_extended')).get())
})

t.test('each sampled case is marked with the in-scope agency that owns it', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { status: 'sampling', agencies: ['Constabulary', 'CPS'] })
  insertPopulation(db, id, 60, { agencyRef: (i) => ['police', 'CPS', 'Probation', null][i % 4] ?? null })
  await admin.post(`/rounds/${id}/draw`, drawForm({ sampleSize: '60' }))
  const owners = db
    .select({ ref: populationCases.agencyRef, owner: sampleCases.owningAgencyId })
    .from(sampleCases)
    .innerJoin(populationCases, eq(sampleCases.populationCaseId, populationCases.id))
    .all()
  const police = agencyId(db, 'Constabulary')
  const cps = agencyId(db, 'CPS')
  t.ok(
    owners.every((o) => o.owner === (o.ref === 'police' ? police : o.ref === 'CPS' ? cps : null)),
    'Probation is not in scope, so it owns nothing here',
  )
})

t.test('the manifest CSV holds the seed, design, fingerprint and every drawn case in draw order', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { status: 'sampling', name: 'Manifest, "quoted" round' })
  t.equal((await admin.get(`/rounds/${id}/manifest.csv`)).statusCode, 404, 'no draw, no manifest')
  insertPopulation(db, id, 200)
  await admin.post(`/rounds/${id}/draw`, drawForm({ sampleSize: '20', seed: 'manifest-seed', minimumPerStratum: '0' }))
  const first = db
    .select({ id: sampleCases.id })
    .from(sampleCases)
    .orderBy(asc(sampleCases.stratum), asc(sampleCases.drawPosition))
    .get()!
  await admin.post(`/rounds/${id}/sample/${first.id}/replace`, {
    reasonKind: 'duplicate',
    details: '=HYPERLINK("x"), same incident',
  })

  const res = await admin.get(`/rounds/${id}/manifest.csv`)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/csv; charset=utf-8/)
  t.match(res.headers['content-disposition'], new RegExp(`^attachment; filename="round-${id}-sample-manifest.csv"`))
  const draw = db.select().from(sampleDraws).get()!
  const lines = res.body.split('\r\n').filter(Boolean)
  const preamble = lines.filter((l) => l.startsWith('#'))
  const [header, ...rows] = lines.filter((l) => !l.startsWith('#'))
  t.ok(preamble.includes('# seed: manifest-seed'))
  t.ok(preamble.includes(`# population_sha256: ${draw.populationSha256}`))
  t.ok(preamble.includes('# stratify_by: district'))
  t.ok(preamble.includes('# allocation: proportional'))
  t.ok(preamble.some((l) => /^# stratum: allerdale population=34 take=\d+$/.test(l)))
  t.equal(header, 'stratum,stratum_seed,position,case_ref,status,replaces_case_ref,replacement_reason')
  t.equal(rows.length, 21, '20 drawn and one replacement')
  t.match(
    rows[0],
    /^allerdale,13:manifest-seed\/allerdale,0,C-\d{6},replaced,,"Duplicate of another case: =HYPERLINK\(""x""\), same incident"$/,
  )
  t.ok(
    rows.some((r) => /,not_started,C-\d{6},"Duplicate of another case: =HYPERLINK\(""x""\), same incident"$/.test(r)),
    'the replacement names the case it replaces, with the reason',
  )

  // A statistician re-running the draw from the manifest gets the same cases at the same places.
  for (const row of rows) {
    const [stratum, stratumSeedText, position, ref] = row.split(',') as [string, string, string, string]
    const order = seededOrder(refsOf(db, id, stratum), stratumSeedText)
    t.equal(order[Number(position)], ref, `${stratum} ${position}`)
  }
  const moderator = await signedIn(app, 'moderator@qaf.example')
  t.equal((await moderator.get(`/rounds/${id}/manifest.csv`)).statusCode, 200, 'moderators may download it')
})

t.test('the sampling frame sorts as seededOrder does, even where SQLite’s byte order differs', async (t) => {
  const { db } = await buildTestApp(t, { demo: false })
  const id = insertRound(db, { agencies: [] })
  // U+E000 sorts after U+10000 in UTF-8 byte order but before it in UTF-16 code units.
  const refs = ['B\u{E000}', 'B\u{10000}', 'A', 'C', 'B']
  const ins = db.$client.prepare(
    "insert into population_cases (round_id, case_ref, reported_on, offence_group, district) values (?, ?, '2024-05-01', 'theft', ?)",
  )
  refs.forEach((r, i) => {
    ins.run(id, r, i % 2 ? 'eden' : 'carlisle')
  })
  const frame = readSamplingFrame(db.$client, id, 'none')
  const sorted = [...refs].sort()
  t.same(
    Array.from({ length: refs.length }, (_, r) => frame.caseRef(r)),
    sorted,
  )
  t.equal(
    frame.sha256,
    createHash('sha256')
      .update(sorted.map((r) => `${r}\tall\n`).join(''))
      .digest('hex'),
  )
  const byDistrict = readSamplingFrame(db.$client, id, 'district')
  t.same(
    byDistrict.strata.map((s) => [s.key, Array.from(s.members, (r) => byDistrict.caseRef(r))]),
    [
      ['carlisle', sorted.filter((r) => refs.indexOf(r) % 2 === 0)],
      ['eden', sorted.filter((r) => refs.indexOf(r) % 2 === 1)],
    ],
  )
  const emptyFrame = readSamplingFrame(db.$client, insertRound(db, { agencies: [] }), 'district')
  t.equal(emptyFrame.size, 0)
  t.equal(db.select({ n: sql<number>`count(*)` }).from(sampleCases).get()?.n, 0)
})

t.test('a population the draw cannot use is refused with a reason, not a crash', async (t) => {
  const { app, db } = await buildTestApp(t)
  const admin = await signedIn(app, 'admin@qaf.example')
  const id = insertRound(db, { status: 'sampling' })
  insertPopulation(db, id, 20)
  db.$client
    .prepare(
      "insert into population_cases (round_id, case_ref, reported_on, offence_group, district) values (?, 'BAD\nREF', '2024-05-01', 'theft', 'eden')",
    )
    .run(id)
  const res = await admin.post(`/rounds/${id}/draw`, drawForm({ sampleSize: '5', minimumPerStratum: '0' }))
  t.equal(res.statusCode, 400)
  t.match(res.body, /A case reference in the population contains a line break, so no sample can be drawn from it/)
  t.equal(db.select().from(sampleDraws).all().length, 0)
})
