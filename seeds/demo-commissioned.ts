// The demo's dip sample of commissioned services: a round of Victim Support (with its IDVAs and
// ISVAs), Bridgeway SARC and Remedi restorative justice case files, drawn by service, reviewed by
// the Victims' Advocate, second-marked and published. Built through the same functions the screens
// use (import, draw, allocation, review writes, moderation), and seeded, so every demo database is
// the same.
import { asc, eq, inArray } from 'drizzle-orm'
import { agencies, sampleCases } from '../schema/index.ts'
import type { Db } from '../schema/database.ts'
import { todayIso } from '../audits/calendar.ts'
import { createRng } from '../audits/seeded-random.ts'
import type { Scope } from '../server/scope.ts'
import { scopeOfUser as scopeOf } from '../server/services/admin/users-queries.ts'
import { createRound } from '../server/services/rounds/queries.ts'
import { drawRoundSample } from '../server/services/rounds/draw.ts'
import { autoAllocate } from '../server/services/rounds/allocation-queries.ts'
import { moveRound } from '../server/services/rounds/lifecycle.ts'
import { loadCaseContext } from '../server/services/review/case-context.ts'
import { saveAllAnswers, type AnswerChange } from '../server/services/review/writes.ts'
import { completeCase } from '../server/services/review/case-status-writes.ts'
import { agencyForObligation } from '../audits/responsible-agency.ts'
import { commissionedPopulationCsv } from './commissioned-population.ts'
import { moderateDemoRound } from './demo-moderation.ts'
import { importDemoCsv, plausibleAnswer } from './demo-answers.ts'

export const COMMISSIONED_DEMO = {
  name: 'Commissioned services dip sample, summer 2025',
  seed: 'cumbria-commissioned-2025',
  periodFrom: '2025-04-01',
  periodTo: '2025-09-30',
  extractedOn: '2025-11-28',
  /** Ten case files from each service. */
  perService: 10,
} as const

/** The services sampled, by full name, with how often each met a question and kept to its targets. */
const services: Record<string, { met: number; onTime: number }> = {
  'Victim Support (Cumbria integrated victim service)': { met: 0.82, onTime: 0.76 },
  'Bridgeway sexual assault referral centre': { met: 0.88, onTime: 0.85 },
  'Remedi restorative justice': { met: 0.72, onTime: 0.6 },
}

const partialNotes = [
  'Plan on file but not signed off with the victim',
  'Assessment started; parts left blank',
  'Closure agreed by text message; no note of what was said',
]
const notApplicableNotes = ['Victim withdrew from the service before this stage', 'Transferred to another area']
const dipProfile = { partly: 0.06, notMet: 0.13, lateDays: 5, untimedDays: 3, partialNotes, notApplicableNotes }

function reviewDipSample(db: Db, advocate: Scope, roundId: number, today: string): void {
  const rng = createRng(`${COMMISSIONED_DEMO.seed}:answers`)
  const cases = db
    .select({ id: sampleCases.id })
    .from(sampleCases)
    .where(eq(sampleCases.roundId, roundId))
    .orderBy(asc(sampleCases.id))
    .all()
  for (const c of cases) {
    const ctx = loadCaseContext(db, advocate, c.id)
    if (!ctx?.facts || !ctx.applicability) throw new Error(`demo dip sample: case ${c.id} has no obligations`)
    const facts = ctx.facts
    const service = ctx.directory.find((a) => a.shortName === ctx.rec.agencyRef)
    const rates = services[service?.name ?? ''] ?? { met: 0.8, onTime: 0.7 }
    const changes: AnswerChange[] = ctx.applicability.items.map((o) => ({
      obligation: o,
      value: plausibleAnswer(rng, o, { ...dipProfile, ...rates }, today),
      expectedVersion: 0,
      agencyId: agencyForObligation(ctx.directory, facts, o, ctx.rec.agencyRef),
    }))
    saveAllAnswers(db, advocate, ctx.rec, changes, null, facts)
    const fresh = loadCaseContext(db, advocate, c.id)
    if (fresh) completeCase(db, advocate, fresh.rec)
  }
}

/** Adds the dip sample; assumes the demo agencies and users exist (seeds/demo.ts). */
export async function loadDemoCommissioned(db: Db): Promise<number> {
  const admin = scopeOf(db, 'admin@qaf.example')
  const advocate = scopeOf(db, 'advocate@qaf.example')
  const serviceIds = db
    .select({ id: agencies.id })
    .from(agencies)
    .where(inArray(agencies.name, Object.keys(services)))
    .all()
    .map((a) => a.id)
  const roundId = createRound(db, admin, {
    name: COMMISSIONED_DEMO.name,
    framework: 'commissioned_services',
    edition: '2020',
    periodFrom: COMMISSIONED_DEMO.periodFrom,
    periodTo: COMMISSIONED_DEMO.periodTo,
    agencyIds: serviceIds,
    ragGreen: 95,
    ragAmber: 80,
    moderationShare: 0.1,
  })
  await importDemoCsv(db, admin, roundId, {
    seed: COMMISSIONED_DEMO.seed,
    csv: commissionedPopulationCsv(COMMISSIONED_DEMO),
    what: 'demo dip-sample',
  })
  const steps: Array<[string, () => { ok: boolean }]> = [
    ['sampling', () => moveRound(db, admin, roundId, 'sampling')],
    [
      'draw',
      () =>
        drawRoundSample(
          db,
          admin,
          roundId,
          {
            stratifyBy: 'agency',
            allocation: 'equal',
            marginOfError: 100,
            confidence: 95,
            minimumPerStratum: COMMISSIONED_DEMO.perService,
            sampleSize: COMMISSIONED_DEMO.perService * Object.keys(services).length,
          },
          COMMISSIONED_DEMO.seed,
        ),
    ],
    ['allocation', () => autoAllocate(db, admin, roundId, [advocate.userId])],
    ['fieldwork', () => moveRound(db, admin, roundId, 'fieldwork')],
  ]
  for (const [name, step] of steps) {
    const result = step()
    if (!result.ok) throw new Error(`demo dip sample: ${name} failed: ${JSON.stringify(result)}`)
  }
  reviewDipSample(db, advocate, roundId, todayIso())
  for (const to of ['moderation', 'published'] as const) {
    const moved = moveRound(db, admin, roundId, to)
    if (!moved.ok) throw new Error(`demo dip sample could not move to ${to}: ${moved.problems.join('; ')}`)
    if (to === 'moderation') moderateDemoRound(db, roundId, COMMISSIONED_DEMO.seed, { leaveOne: false, resolve: true })
  }
  return roundId
}
