// The national-scale bench (bench/scores.bench.ts) writes its ten million answers by bulk SQL
// (bench/national-data.ts) instead of through the import, draw, allocation, review and lifecycle
// code paths. Here the demo rounds, built through those real paths (seeds/demo-rounds.ts: a
// population import, a seeded stratified draw, allocation, saveAllAnswers and completeCase,
// second marking and moderation, moveRound to publication), are written again by the bench's bulk
// SQL into a second database, and the score queries must read the same from both: the round
// dashboards, the trends, and the rows' columns they read.
import t from 'tap'
import { asc, eq } from 'drizzle-orm'
import { openDatabase, type Db } from '../../schema/database.ts'
import { answers, populationCases, roundAgencies, rounds, sampleCases, sampleDraws } from '../../schema/index.ts'
import { loadDemoData } from '../../seeds/demo.ts'
import { themes, frameworks } from '../../audits/frameworks/index.ts'
import { scopeOfUser } from '../../server/services/admin/users-queries.ts'
import { buildRoundModel, type RoundModel } from '../../server/services/scores/round-model.ts'
import { buildTrend, OVERALL, type Measure, type TrendPoint } from '../../server/services/scores/trend-model.ts'
import { findRound, visibleRounds } from '../../server/services/scores/rounds-queries.ts'
import type { Edition } from '../../audits/frameworks/index.ts'
import { syntheticRounds, writeRoundsBulk, type AnswerRow, type RoundPlan } from '../../bench/national-data.ts'

/**
 * A round as the bulk writer takes it, read back from a database: the columns the score queries
 * read, cases in case-reference order and their answers in (marker, obligation) order, so two
 * databases compare whatever order their rows were written in and whatever ids they were given.
 */
function planOf(db: Db, roundId: number): RoundPlan {
  const r = db.select().from(rounds).where(eq(rounds.id, roundId)).get()
  if (!r) throw new Error(`no round ${roundId}`)
  const draw = db.select().from(sampleDraws).where(eq(sampleDraws.roundId, roundId)).get()
  const cases = db
    .select({
      id: sampleCases.id,
      caseRef: populationCases.caseRef,
      reportedOn: populationCases.reportedOn,
      offenceGroup: populationCases.offenceGroup,
      district: populationCases.district,
      stratum: sampleCases.stratum,
      drawPosition: sampleCases.drawPosition,
      status: sampleCases.status,
      facts: sampleCases.facts,
    })
    .from(sampleCases)
    .innerJoin(populationCases, eq(populationCases.id, sampleCases.populationCaseId))
    .where(eq(sampleCases.roundId, roundId))
    .orderBy(asc(populationCases.caseRef))
    .all()
  return {
    name: r.name,
    framework: r.framework,
    edition: r.edition as Edition,
    periodFrom: r.periodFrom,
    periodTo: r.periodTo,
    status: r.status,
    ragGreen: r.ragGreen,
    ragAmber: r.ragAmber,
    moderationShare: r.moderationShare,
    agencyIds: db
      .select({ id: roundAgencies.agencyId })
      .from(roundAgencies)
      .where(eq(roundAgencies.roundId, roundId))
      .orderBy(asc(roundAgencies.agencyId))
      .all()
      .map((a) => a.id),
    draw: draw
      ? {
          seed: draw.seed,
          stratifyBy: draw.stratifyBy,
          allocation: draw.allocation,
          marginOfError: draw.marginOfError,
          confidence: draw.confidence,
          minimumPerStratum: draw.minimumPerStratum,
          populationSha256: draw.populationSha256,
          strata: draw.strata,
        }
      : null,
    cases: cases.map(({ id, ...c }) => ({
      ...c,
      answers: db
        .select({
          marker: answers.marker,
          obligationKey: answers.obligationKey,
          itemId: answers.itemId,
          agencyId: answers.agencyId,
          outcome: answers.outcome,
          evidenceDate: answers.evidenceDate,
          dueDate: answers.dueDate,
          daysLate: answers.daysLate,
          timelinessOverride: answers.timelinessOverride,
        })
        .from(answers)
        .where(eq(answers.sampleCaseId, id))
        .orderBy(asc(answers.marker), asc(answers.obligationKey))
        .all() as AnswerRow[],
    })),
  }
}

// Round ids, and when the draw was made, differ by nature between the two databases; agency ids do
// not (both databases have the same demo agencies, added first).
function model(m: RoundModel) {
  return { ...m, round: { ...m.round, id: 0 }, design: m.design && { ...m.design, drawnAt: '' } }
}
const trend = (points: TrendPoint[]) =>
  points.map((p) => ({
    ...p,
    round: { ...p.round, id: 0 },
    change: p.change && { ...p.change, against: { ...p.change.against, id: 0 } },
  }))

t.test('the bench bulk SQL writes what the real paths write, as the score queries read it', async (t) => {
  const real = openDatabase(':memory:')
  const bulk = openDatabase(':memory:')
  t.teardown(() => {
    real.$client.close()
    bulk.$client.close()
  })
  await loadDemoData(real, { rounds: true })
  await loadDemoData(bulk)

  const realIds = real
    .select({ id: rounds.id })
    .from(rounds)
    .orderBy(asc(rounds.id))
    .all()
    .map((r) => r.id)
  const plans = realIds.map((id) => planOf(real, id))
  const answerCount = plans.reduce((n, p) => n + p.cases.reduce((m, c) => m + c.answers.length, 0), 0)
  t.ok(plans.length >= 3 && answerCount > 1000, `a sample of ${plans.length} rounds and ${answerCount} answers`)
  t.ok(
    plans.some((p) => p.status === 'published') && plans.some((p) => p.status !== 'published'),
    'published rounds and one still open',
  )
  t.ok(
    plans.some((p) => p.cases.some((c) => c.answers.some((a) => a.marker === 'moderator'))) &&
      plans.some((p) => p.cases.some((c) => c.answers.some((a) => a.marker === 'second'))),
    'moderated and second-marked answers among them',
  )

  const { roundIds: bulkIds, answers: written } = writeRoundsBulk(bulk, plans)
  t.equal(written, answerCount, 'every answer written')

  t.test('the rows, in the columns the score queries read', async (t) => {
    bulkIds.forEach((bulkId, i) => {
      t.same(planOf(bulk, bulkId), plans[i], `round ${plans[i]?.name}`)
    })
    const versions = (db: Db, ids: number[]) =>
      ids.map((id) => db.select({ v: rounds.dataVersion }).from(rounds).where(eq(rounds.id, id)).get()?.v ?? 0)
    t.ok(
      versions(bulk, bulkIds).every((v) => v > 0) && versions(real, realIds).every((v) => v > 0),
      'every round has moved its data version in both, so no figure kept before is read as current',
    )
  })

  const admin = { real: scopeOfUser(real, 'admin@qaf.example'), bulk: scopeOfUser(bulk, 'admin@qaf.example') }
  const police = { real: scopeOfUser(real, 'police@qaf.example'), bulk: scopeOfUser(bulk, 'police@qaf.example') }

  t.test('each round dashboard, report and agency drill-down has the same figures', async (t) => {
    let counted = 0
    realIds.forEach((id, i) => {
      const bulkId = bulkIds[i] as number
      for (const [who, scope] of [
        ['admin', admin],
        ['an agency user', police],
      ] as const) {
        const r = findRound(real, scope.real, id)
        const b = findRound(bulk, scope.bulk, bulkId)
        t.equal(!!b, !!r, `${plans[i]?.name}: visible to ${who} in both`)
        if (!r || !b) continue
        for (const detail of ['summary', 'full'] as const) {
          const fromReal = buildRoundModel(real, scope.real, r, detail)
          const fromBulk = buildRoundModel(bulk, scope.bulk, b, detail)
          counted += fromReal.blocks.reduce((n, bl) => n + bl.overall.n, 0)
          t.same(model(fromBulk), model(fromReal), `${plans[i]?.name}: ${detail} as ${who}`)
        }
        for (const agencyId of plans[i]?.agencyIds ?? []) {
          if (scope === police) continue
          t.same(
            model(buildRoundModel(bulk, scope.bulk, b, 'full', agencyId)),
            model(buildRoundModel(real, scope.real, r, 'full', agencyId)),
            `${plans[i]?.name}: agency ${agencyId}`,
          )
        }
      }
    })
    t.ok(counted > 1000, `${counted} counted answers behind the figures compared`)
  })

  t.test('the trends have the same figures for every measure and agency', async (t) => {
    const measures: Measure[] = [
      OVERALL,
      ...themes.map((th): Measure => ({ kind: 'theme', value: `theme:${th.id}`, name: th.name, theme: th.id })),
      ...(['2015', '2020'] as const).flatMap((e) =>
        frameworks[e].items.map((it): Measure => ({ kind: 'item', value: `item:${it.id}`, name: it.id, item: it })),
      ),
    ]
    const agencyIds = [null, ...new Set(plans.flatMap((p) => p.agencyIds))]
    for (const scope of [admin, police]) {
      const realRounds = visibleRounds(real, scope.real)
      const bulkRounds = visibleRounds(bulk, scope.bulk)
      t.same(
        bulkRounds.map((r) => ({ ...r, id: 0 })),
        realRounds.map((r) => ({ ...r, id: 0 })),
        'the same rounds in the trend',
      )
      let compared = 0
      for (const measure of measures)
        for (const agencyId of agencyIds) {
          const fromReal = buildTrend(real, realRounds, agencyId, measure)
          const fromBulk = buildTrend(bulk, bulkRounds, agencyId, measure)
          // One assertion per difference only: there are some two thousand series.
          if (JSON.stringify(trend(fromBulk)) !== JSON.stringify(trend(fromReal)))
            t.same(trend(fromBulk), trend(fromReal), `${measure.value} for agency ${agencyId}`)
          compared += fromReal.filter((p) => p.figure.n > 0).length
        }
      t.ok(compared > 100, `${compared} non-empty trend points compared`)
      t.pass(`${measures.length} measures × ${agencyIds.length} agency choices the same`)
    }
  })

  t.test('the comparison sees a difference where there is one', async (t) => {
    const other = openDatabase(':memory:')
    t.teardown(() => other.$client.close())
    await loadDemoData(other)
    const index = plans.findIndex((p) => p.status === 'published' && p.framework === 'victims_code')
    const plan = plans[index] as RoundPlan
    // As the bench wrote them before this check: cases without their facts. And one answer changed.
    const withoutFacts = { ...plan, cases: plan.cases.map((c) => ({ ...c, facts: null })) }
    const first = plan.cases.find((c) => c.answers.some((a) => a.outcome === 'met' && a.marker === 'primary'))
    const changed = {
      ...plan,
      cases: plan.cases.map((c) =>
        c === first
          ? { ...c, answers: c.answers.map((a) => ({ ...a, outcome: a.outcome === 'met' ? 'not_met' : a.outcome })) }
          : c,
      ),
    }
    const [noFactsId, changedId] = writeRoundsBulk(other, [withoutFacts, changed]).roundIds as [number, number]
    const realRound = findRound(real, admin.real, realIds[index] as number)
    if (!realRound) throw new Error('no round')
    const expected = model(buildRoundModel(real, admin.real, realRound, 'full'))
    const otherAdmin = scopeOfUser(other, 'admin@qaf.example')
    for (const [id, what] of [
      [noFactsId, 'cases written without their facts: the enhanced-flag check differs'],
      [changedId, 'one case’s answers changed: the figures differ'],
    ] as const) {
      const r = findRound(other, otherAdmin, id)
      if (!r) throw new Error('no round')
      t.notSame(model(buildRoundModel(other, otherAdmin, r, 'full')), expected, what)
    }
  })

  t.test('the bench generator gives rounds of the shape the real paths leave', async (t) => {
    const agencyByType = new Map(
      bulk.$client
        .prepare('SELECT type, id FROM agencies')
        .all()
        .map((a) => [(a as { type: string }).type, (a as { id: number }).id]),
    )
    const facts = plans.flatMap((p) => p.cases.flatMap((c) => (c.facts ? [c.facts] : [])))
    const synthetic = [
      ...syntheticRounds({
        rounds: 2,
        cases: 60,
        answers: 40,
        agencyByType,
        agencyIds: [...agencyByType.values()],
        facts,
      }),
    ]
    for (const p of [...plans, ...synthetic]) {
      const answered = p.cases.filter((c) => c.answers.length > 0)
      t.ok(
        answered.every((c) => c.facts !== null),
        `${p.name}: every case with answers has its facts (saveAllAnswers saves them)`,
      )
      t.ok(
        p.cases.every((c) => {
          const keys = c.answers.map((a) => `${a.marker} ${a.obligationKey}`)
          const primaries = new Set(c.answers.filter((a) => a.marker === 'primary').map((a) => a.obligationKey))
          return (
            new Set(keys).size === keys.length &&
            c.answers.filter((a) => a.marker !== 'primary').every((a) => primaries.has(a.obligationKey))
          )
        }),
        `${p.name}: one answer per obligation and marker; second and moderator answers only beside a primary one`,
      )
    }
  })
})
