// The sample planner (a GET form anyone who may view the round can use) and the draw it leads to
// (a POST, admins only, while the round is in sampling).
import { randomBytes } from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Queryable } from '../../../schema/database.ts'
import {
  achievedMargin,
  allocationMethods,
  explainSample,
  formatFractionMargin,
  planStrata,
  plannerConfidences,
  plannerMargins,
  precisionTable,
  sizeFor,
  stratifications,
} from '../../../audits/sample-plan.ts'
import { changeRefusal } from '../../../audits/round-lifecycle.ts'
import { fieldsOf, formError, parseForm, type Redisplay } from '../../forms.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { wantsFragment } from '../../plugins/views.ts'
import { loadRound, redirectWith, roundContext, roundOf } from './common.ts'
import { populationSummary, type Round } from '../../services/rounds/queries.ts'
import { drawRoundSample, drawStrata, getDraw, type DrawDesign } from '../../services/rounds/draw.ts'
import { strataCounts } from '../../services/rounds/sample-queries.ts'

const whole = (label: string, max: number) =>
  z
    .string()
    .trim()
    .refine((v) => v === '' || (/^\d{1,7}$/.test(v) && Number(v) <= max), {
      error: `Enter the ${label} as a whole number from 0 to ${max.toLocaleString('en-GB')}`,
    })
    .transform((v) => (v === '' ? null : Number(v)))

const designSchema = z.object({
  stratifyBy: z.enum(stratifications, { error: 'Select how to stratify the sample' }),
  allocation: z.enum(allocationMethods, { error: 'Select how to share the sample between strata' }),
  marginOfError: z
    .enum(plannerMargins.map(String) as [string, ...string[]], { error: 'Select a margin of error' })
    .transform(Number),
  confidence: z
    .enum(plannerConfidences.map(String) as [string, ...string[]], { error: 'Select a confidence level' })
    .transform(Number),
  minimumPerStratum: whole('minimum per stratum', 10_000).transform((v) => v ?? 0),
  sampleSize: whole('sample size', 1_000_000).refine((v) => v !== 0, {
    error: 'Enter a sample size of at least 1, or leave it blank',
  }),
})

const defaults: Record<string, string> = {
  stratifyBy: 'district',
  allocation: 'proportional',
  marginOfError: '50',
  confidence: '95',
  minimumPerStratum: '5',
  sampleSize: '',
}

const drawSchema = z.object({
  seed: z
    .string()
    .trim()
    .max(64, { error: 'Seed must be 64 characters or fewer' })
    .regex(/^[\x20-\x7e]*$/, { error: 'Seed must use only letters, numbers, spaces and common punctuation' }),
  confirmRedraw: z.string().optional(),
})

const designKeys = Object.keys(defaults)

/** Everything the planner shows for one design: sizes, split, plain-English precision. */
function planFor(db: Queryable, roundId: number, design: DrawDesign) {
  const strata = strataCounts(db, roundId, design.stratifyBy)
  const population = strata.reduce((sum, s) => sum + s.population, 0)
  if (population === 0) return { population, table: [], problem: null, plan: null }
  const recommended = sizeFor(population, design.marginOfError, design.confidence)
  const total = design.sampleSize ?? recommended
  if (total > population) {
    return {
      population,
      table: precisionTable(population),
      recommended,
      problem: {
        field: 'sampleSize',
        message: `The sample cannot be larger than the population of ${population.toLocaleString('en-GB')} cases`,
      },
      plan: null,
    }
  }
  const plan = planStrata(strata, total, design.allocation, design.minimumPerStratum, design.confidence)
  if (!plan.ok)
    return {
      population,
      table: precisionTable(population),
      recommended,
      problem: { field: 'minimumPerStratum', message: plan.message },
      plan: null,
    }
  const margin =
    design.sampleSize === null
      ? design.marginOfError
      : Math.max(1, Math.round((achievedMargin(total, population, design.confidence) ?? 0) * 1000))
  return {
    population,
    table: precisionTable(population),
    recommended,
    problem: null,
    plan: {
      total: plan.total,
      strata: plan.strata.map((s) => ({
        ...s,
        marginText: s.margin === null ? '–' : `${formatFractionMargin(s.margin)} points`,
      })),
      explanation: explainSample(plan.total, margin, design.confidence),
    },
  }
}

const plannerRoutes: FastifyPluginAsync = async (app) => {
  const render = (
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    values: Record<string, string>,
    design: DrawDesign | null,
    extra: Redisplay & { seed?: string } = {},
  ) => {
    const draw = getDraw(app.db, round.id) ?? null
    const planned = design ? planFor(app.db, round.id, design) : null
    let errors = extra.errors
    if (!errors && planned?.problem) errors = formError(planned.problem.message, planned.problem.field)
    return reply.render(
      'rounds/planner',
      {
        ...roundContext(request, round),
        values,
        planned,
        draw,
        drawnStrata: draw ? drawStrata(draw) : [],
        population: populationSummary(app.db, round.id),
        drawRefusal: changeRefusal('drawSample', round.status),
        seed: extra.seed ?? '',
        errors,
        isFragment: wantsFragment(request),
        margins: plannerMargins,
        confidences: plannerConfidences,
      },
      { fragment: 'rounds/_planner', status: extra.status ?? (errors ? 400 : 200) },
    )
  }

  app.get('/rounds/:id/planner', { preHandler: loadRound }, async (request, reply) => {
    const round = roundOf(request)
    const values = { ...defaults, ...fieldsOf(request.query, designKeys) }
    const form = parseForm(designSchema, values)
    if (!form.ok) return render(request, reply, round, values, null, { errors: form.errors })
    return render(request, reply, round, values, form.data as DrawDesign)
  })

  app.post('/rounds/:id/draw', { preHandler: loadRound }, async (request, reply) => {
    const round = roundOf(request)
    const values = { ...defaults, ...fieldsOf(request.body, designKeys) }
    const typed = fieldsOf(request.body, ['seed', 'confirmRedraw'])
    const design = parseForm(designSchema, values)
    const seeding = parseForm(drawSchema, { seed: typed.seed ?? '', confirmRedraw: typed.confirmRedraw })
    if (!design.ok)
      return render(request, reply, round, values, null, { errors: design.errors, seed: typed.seed, status: 400 })
    const data = design.data as DrawDesign
    if (!seeding.ok)
      return render(request, reply, round, values, data, { errors: seeding.errors, seed: typed.seed, status: 400 })
    const refusal = changeRefusal('drawSample', round.status)
    if (refusal)
      return render(request, reply, round, values, data, { errors: formError(refusal), seed: typed.seed, status: 400 })
    if (getDraw(app.db, round.id) && seeding.data.confirmRedraw !== 'yes') {
      return render(request, reply, round, values, data, {
        errors: formError('Confirm that you want to replace the sample already drawn', 'confirmRedraw'),
        seed: typed.seed,
        status: 400,
      })
    }
    // An unguessable seed unless the admin chose one; either way it is shown and kept.
    const seed = seeding.data.seed || randomBytes(8).toString('hex')
    const result = drawRoundSample(app.db, scopeOf(request), round.id, data, seed)
    if (!result.ok)
      return render(request, reply, round, values, data, {
        errors: formError(result.message, result.field),
        seed: typed.seed,
        status: 400,
      })
    return redirectWith(
      reply,
      `/rounds/${round.id}/sample`,
      `${result.redrawn ? 'Sample drawn again' : 'Sample drawn'}: ${result.total.toLocaleString('en-GB')} cases ` +
        `with seed ${seed}`,
    )
  })
}

export default plannerRoutes
