// The drawn sample: the list of cases, replacing one that cannot be audited, extending the
// sample, and the manifest download.
import { CSV_TYPE, sendDownload } from '../../downloads.ts'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { changeAllowed, changeRefusal } from '../../../audits/round-lifecycle.ts'
import { unusableReasonLabels } from '../../../audits/vocabulary.ts'
import { describeUnusable } from '../../../audits/case-progress.ts'
import { fieldsOf, formError, idParam, parseForm, unusableSchema, type Redisplay } from '../../forms.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { loadRound, requestedRound, redirectWith, roundContext, roundOf } from './common.ts'
import type { Round } from '../../services/rounds/queries.ts'
import { drawStrata, getDraw } from '../../services/rounds/draw.ts'
import { extendSample, replaceableStatuses, replaceSampleCase } from '../../services/rounds/sample-changes.ts'
import { sampleCase, sampleRows, stratumProgress } from '../../services/rounds/sample-queries.ts'
import { manifestCsv } from './manifest.ts'

const replaceSchema = unusableSchema('reasonKind', 'details')

const extendSchema = z.object({
  additional: z
    .string()
    .trim()
    .regex(/^\d{1,6}$/, { error: 'Enter how many cases to add as a whole number, like 20' })
    .transform(Number)
    .refine((n) => n >= 1, { error: 'Enter how many cases to add as a whole number, like 20' }),
  stratum: z.string().max(200),
})

const sampleRoutes: FastifyPluginAsync = async (app) => {
  const renderSample = (request: FastifyRequest, reply: FastifyReply, round: Round, extra: Redisplay = {}) => {
    const draw = getDraw(app.db, round.id) ?? null
    const progress = new Map(stratumProgress(app.db, round.id).map((p) => [p.stratum, p]))
    const strata = draw
      ? drawStrata(draw).map((s) => {
          const p = progress.get(s.key)
          return { ...s, active: p?.active ?? 0, replaced: p?.replaced ?? 0, reserve: s.population - (p?.used ?? 0) }
        })
      : []
    const rows = sampleRows(app.db, round.id)
    const replacedBy = new Map(rows.filter((r) => r.replacesRef).map((r) => [r.replacesRef as string, r.caseRef]))
    return reply.render(
      'rounds/sample',
      {
        ...roundContext(request, round),
        draw,
        strata,
        rows: rows.map((r) => ({
          ...r,
          replacedBy: replacedBy.get(r.caseRef) ?? null,
          replaceable: (replaceableStatuses as readonly string[]).includes(r.status),
        })),
        canReplace: scopeOf(request).role === 'admin' && changeAllowed('replaceCase', round.status),
        canExtend: scopeOf(request).role === 'admin' && changeAllowed('extendSample', round.status),
        values: extra.values ?? {},
        errors: extra.errors,
      },
      { status: extra.status ?? 200 },
    )
  }

  app.get('/rounds/:id/sample', { preHandler: loadRound }, async (request, reply) =>
    renderSample(request, reply, roundOf(request)),
  )

  app.post('/rounds/:id/sample/extend', { preHandler: loadRound }, async (request, reply) => {
    const round = roundOf(request)
    const values = fieldsOf(request.body, ['additional', 'stratum'])
    const refusal = changeRefusal('extendSample', round.status)
    if (refusal) return renderSample(request, reply, round, { errors: formError(refusal), values, status: 400 })
    const form = parseForm(extendSchema, { additional: values.additional ?? '', stratum: values.stratum ?? '' })
    if (!form.ok) return renderSample(request, reply, round, { errors: form.errors, values, status: 400 })
    const result = extendSample(app.db, scopeOf(request), round.id, form.data.additional, form.data.stratum || null)
    if (!result.ok)
      return renderSample(request, reply, round, {
        errors: formError(result.message, result.field),
        values,
        status: 400,
      })
    return redirectWith(
      reply,
      `/rounds/${round.id}/sample`,
      `${result.added.toLocaleString('en-GB')} ${result.added === 1 ? 'case' : 'cases'} added to the sample: ` +
        `allocate them to auditors`,
    )
  })

  const renderReplace = (
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    target: NonNullable<ReturnType<typeof sampleCase>>,
    extra: Redisplay = {},
  ) =>
    reply.render(
      'rounds/replace',
      {
        ...roundContext(request, round),
        target,
        stratifyBy: getDraw(app.db, round.id)?.stratifyBy ?? 'none',
        reasons: unusableReasonLabels,
        values: extra.values ?? {},
        errors: extra.errors,
        refusal: changeRefusal('replaceCase', round.status),
      },
      { status: extra.status ?? 200 },
    )

  const findCase = (request: FastifyRequest, round: Round) => {
    const caseId = idParam(request.params, 'caseId')
    return caseId === null ? undefined : sampleCase(app.db, round.id, caseId)
  }

  app.get('/rounds/:id/sample/:caseId/replace', async (request, reply) => {
    const round = requestedRound(app.db, request)
    const target = round && findCase(request, round)
    if (!round || !target) return sendNotFound(reply)
    return renderReplace(request, reply, round, target)
  })

  app.post('/rounds/:id/sample/:caseId/replace', async (request, reply) => {
    const round = requestedRound(app.db, request)
    const target = round && findCase(request, round)
    if (!round || !target) return sendNotFound(reply)
    const values = fieldsOf(request.body, ['reasonKind', 'details'])
    const refusal = changeRefusal('replaceCase', round.status)
    if (refusal)
      return renderReplace(request, reply, round, target, { errors: formError(refusal), values, status: 400 })
    const form = parseForm(replaceSchema, values)
    if (!form.ok) return renderReplace(request, reply, round, target, { errors: form.errors, values, status: 400 })
    const reason = describeUnusable(form.data.reason, form.data.details)
    const result = replaceSampleCase(app.db, scopeOf(request), round.id, target.id, reason)
    if (!result.ok)
      return renderReplace(request, reply, round, target, {
        errors: formError(result.message, result.field),
        values,
        status: 400,
      })
    return redirectWith(reply, `/rounds/${round.id}/sample`, `${target.caseRef} replaced by ${result.replacementRef}`)
  })

  app.get('/rounds/:id/manifest.csv', async (request, reply) => {
    const round = requestedRound(app.db, request)
    const draw = round && getDraw(app.db, round.id)
    if (!round || !draw) return sendNotFound(reply)
    return sendDownload(reply, CSV_TYPE, `round-${round.id}-sample-manifest.csv`, manifestCsv(app.db, round, draw))
  })
}

export default sampleRoutes
