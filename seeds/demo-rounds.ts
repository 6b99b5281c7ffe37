// Demo audit rounds for a new database: one published round with every sampled case reviewed,
// and one in fieldwork with some cases complete, some in progress and some not started. Built
// through the same functions the screens use (import, draw, allocation, review writes), so the
// demo shows exactly what real use would produce. Outcomes are seeded, so every demo database is
// the same.
import { and, asc, eq } from 'drizzle-orm'
import { agencies, sampleCases, users } from '../schema/index.ts'
import type { Db } from '../schema/database.ts'
import type { Edition } from '../audits/frameworks/index.ts'
import { todayIso } from '../audits/calendar.ts'
import { createRng } from '../audits/seeded-random.ts'
import type { Scope } from '../server/scope.ts'
import { createRound } from '../server/services/rounds/queries.ts'
import { drawRoundSample } from '../server/services/rounds/draw.ts'
import { autoAllocate } from '../server/services/rounds/allocation-queries.ts'
import { moveRound } from '../server/services/rounds/lifecycle.ts'
import { loadCaseContext } from '../server/services/review/case-context.ts'
import { saveAllAnswers, type AnswerChange } from '../server/services/review/writes.ts'
import { completeCase } from '../server/services/review/case-status-writes.ts'
import { agencyForObligation } from '../audits/responsible-agency.ts'
import { generatePopulationCsv } from './population-generator.ts'
import { moderateDemoRound } from './demo-moderation.ts'
import { importDemoCsv, plausibleAnswer } from './demo-answers.ts'
import { scopeOfUser as scopeOf } from '../server/services/admin/users-queries.ts'

interface DemoRound {
  name: string
  edition: Edition
  periodFrom: string
  periodTo: string
  population: number
  sampleSize: number
  seed: string
  /** Chance that an obligation was met, by the responsible agency type; the rest split below. */
  metRate: Record<string, number>
  /** Share of obligations done on time where there is a time limit and the duty was met. */
  onTimeRate: number
  stage: 'fieldwork' | 'moderation' | 'published'
  /** Share of completed cases second-marked (the round's setting; 10% unless given). */
  moderationShare?: number
  /** Fieldwork and moderation: shares of cases complete and in progress. */
  complete?: number
  inProgress?: number
}

const rounds: DemoRound[] = [
  {
    // Reported under the 2015 Code; charges, hearings and sentences run past 1 April 2021, so the
    // cases mix editions and the report shows both editions' items under a 2015 heading.
    name: 'Winter 2020/21 audit',
    edition: '2015',
    periodFrom: '2020-10-01',
    periodTo: '2021-03-31',
    population: 600,
    sampleSize: 24,
    seed: 'cumbria-winter-2020',
    metRate: {
      police: 0.66,
      witness_care: 0.8,
      cps: 0.76,
      courts: 0.88,
      probation: 0.74,
      youth_justice: 0.78,
      victim_services: 0.84,
      other: 0.78,
    },
    onTimeRate: 0.64,
    stage: 'published',
  },
  {
    name: 'Winter 2024/25 audit',
    edition: '2020',
    periodFrom: '2024-10-01',
    periodTo: '2025-03-31',
    population: 1800,
    sampleSize: 48,
    seed: 'cumbria-winter-2024',
    metRate: {
      police: 0.72,
      witness_care: 0.84,
      cps: 0.8,
      courts: 0.9,
      probation: 0.78,
      youth_justice: 0.8,
      victim_services: 0.86,
      other: 0.8,
    },
    onTimeRate: 0.7,
    stage: 'published',
    // A quarter of the cases, so the agreement report has enough pairs to read.
    moderationShare: 0.25,
  },
  {
    name: 'Summer 2025 audit',
    edition: '2020',
    periodFrom: '2025-04-01',
    periodTo: '2025-09-30',
    population: 2000,
    sampleSize: 40,
    seed: 'cumbria-summer-2025',
    metRate: {
      police: 0.8,
      witness_care: 0.88,
      cps: 0.82,
      courts: 0.92,
      probation: 0.8,
      youth_justice: 0.82,
      victim_services: 0.9,
      other: 0.82,
    },
    onTimeRate: 0.78,
    // In moderation with second marking under way: one case left for the moderator to
    // second-mark and disagreements waiting to be resolved.
    stage: 'moderation',
    complete: 0.4,
    inProgress: 0.25,
  },
]

const partialNotes = [
  'Update given, but without the reasons the Code asks for',
  'Told by phone; no written record of what was said',
]
const notApplicableNotes = [
  'Victim asked not to be contacted about this stage',
  'Duty passed to another force area; outside this audit',
]
const roundProfile = { partly: 0.05, notMet: 0.11, lateDays: 6, untimedDays: 4, partialNotes, notApplicableNotes }

function reviewCases(db: Db, spec: DemoRound, roundId: number, today: string): void {
  const rng = createRng(`${spec.seed}:answers`)
  // Its own stream, so recording the flag leaves the answers' draws as they were.
  const flagRng = createRng(`${spec.seed}:flags`)
  const cases = db
    .select({ id: sampleCases.id, auditorId: sampleCases.auditorId })
    .from(sampleCases)
    .where(eq(sampleCases.roundId, roundId))
    .orderBy(asc(sampleCases.id))
    .all()
  const auditors = new Map(
    db
      .select()
      .from(users)
      .all()
      .map((u) => [u.id, u]),
  )
  cases.forEach((c, i) => {
    const share = i / cases.length
    const finish = spec.stage === 'published' || share < (spec.complete ?? 0)
    const partly = !finish && share < (spec.complete ?? 0) + (spec.inProgress ?? 0)
    if (!finish && !partly) return
    const auditor = c.auditorId ? auditors.get(c.auditorId) : undefined
    if (!auditor) return
    const scope: Scope = {
      userId: auditor.id,
      email: auditor.email,
      displayName: auditor.displayName,
      role: auditor.role,
      agencyId: auditor.agencyId,
    }
    const ctx = loadCaseContext(db, scope, c.id)
    if (!ctx?.facts || !ctx.applicability) return
    // The agency's recorded enhanced flag, mostly right and sometimes missed, as the QAF found.
    const computed = ctx.applicability.enhanced.eligible
    const facts = { ...ctx.facts, recordedEnhanced: flagRng.next() < 0.85 ? computed : !computed }
    const obligations = partly
      ? ctx.applicability.items.slice(0, Math.ceil(ctx.applicability.items.length / 2))
      : ctx.applicability.items
    const changes: AnswerChange[] = obligations.map((o) => ({
      obligation: o,
      value: plausibleAnswer(
        rng,
        o,
        { ...roundProfile, met: spec.metRate[o.item.agency] ?? 0.8, onTime: spec.onTimeRate },
        today,
      ),
      expectedVersion: 0,
      agencyId: agencyForObligation(ctx.directory, facts, o, ctx.rec.agencyRef),
    }))
    saveAllAnswers(db, scope, ctx.rec, changes, null, facts)
    if (finish) {
      const fresh = loadCaseContext(db, scope, c.id)
      if (fresh) completeCase(db, scope, fresh.rec)
    }
  })
}

/** Adds the demo rounds; assumes the demo agencies and users exist (seeds/demo.ts). */
export async function loadDemoRounds(db: Db): Promise<void> {
  const admin = scopeOf(db, 'admin@qaf.example')
  const today = todayIso()
  const allAgencies = db
    .select({ id: agencies.id })
    .from(agencies)
    .where(eq(agencies.active, true))
    .all()
    .map((a) => a.id)
  const auditorIds = db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'auditor'), eq(users.disabled, false)))
    .all()
    .map((u) => u.id)
  for (const spec of rounds) {
    const roundId = createRound(db, admin, {
      name: spec.name,
      framework: 'victims_code',
      edition: spec.edition,
      periodFrom: spec.periodFrom,
      periodTo: spec.periodTo,
      agencyIds: allAgencies,
      ragGreen: 95,
      ragAmber: 80,
      moderationShare: spec.moderationShare ?? 0.1,
    })
    const csv = [
      ...generatePopulationCsv({
        cases: spec.population,
        seed: spec.seed,
        periodFrom: spec.periodFrom,
        periodTo: spec.periodTo,
      }),
    ].join('')
    await importDemoCsv(db, admin, roundId, { seed: spec.seed, csv, what: 'demo population' })
    const steps: (() => { ok: boolean })[] = [
      () => moveRound(db, admin, roundId, 'sampling'),
      () =>
        drawRoundSample(
          db,
          admin,
          roundId,
          {
            stratifyBy: 'district',
            allocation: 'proportional',
            marginOfError: 100,
            confidence: 95,
            minimumPerStratum: 4,
            sampleSize: spec.sampleSize,
          },
          spec.seed,
        ),
      () => autoAllocate(db, admin, roundId, auditorIds),
      () => moveRound(db, admin, roundId, 'fieldwork'),
    ]
    for (const step of steps) {
      const result = step()
      if (!result.ok) throw new Error(`demo round "${spec.name}" could not be set up: ${JSON.stringify(result)}`)
    }
    reviewCases(db, spec, roundId, today)
    if (spec.stage === 'moderation') {
      const moved = moveRound(db, admin, roundId, 'moderation')
      if (!moved.ok)
        throw new Error(`demo round "${spec.name}" could not move to moderation: ${moved.problems.join('; ')}`)
      moderateDemoRound(db, roundId, spec.seed, { leaveOne: true, resolve: false })
    }
    if (spec.stage === 'published') {
      for (const to of ['moderation', 'published'] as const) {
        const moved = moveRound(db, admin, roundId, to)
        if (!moved.ok)
          throw new Error(`demo round "${spec.name}" could not move to ${to}: ${moved.problems.join('; ')}`)
        if (to === 'moderation') moderateDemoRound(db, roundId, spec.seed, { leaveOne: false, resolve: true })
      }
    }
  }
}
