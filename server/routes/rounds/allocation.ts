// The admin's allocation screen: share the sample out automatically, or reassign chosen cases.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { mayReview } from '../../../audits/auditor-allocation.ts'
import { changeRefusal } from '../../../audits/round-lifecycle.ts'
import { reviewerRoles } from '../../../audits/vocabulary.ts'
import { formError, idList, idOf, listField, type Redisplay } from '../../forms.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { loadRound, redirectWith, roundContext, roundOf } from './common.ts'
import type { Round } from '../../services/rounds/queries.ts'
import { getDraw } from '../../services/rounds/draw.ts'
import {
  activeAuditors,
  chooseReviewerMessage,
  allocationCases,
  auditorLoads,
  autoAllocate,
  reassignCases,
} from '../../services/rounds/allocation-queries.ts'

function listSome(refs: readonly string[], most = 10): string {
  return refs.length <= most ? refs.join(', ') : `${refs.slice(0, most).join(', ')} and ${refs.length - most} more`
}

const allocationRoutes: FastifyPluginAsync = async (app) => {
  const render = (
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    extra: Redisplay & { selectedAuditors?: number[]; selectedCases?: number[] } = {},
  ) => {
    const auditors = activeAuditors(app.db, reviewerRoles[round.framework])
    const holder = z.object({ holder: z.string().max(20).optional() }).safeParse(request.query)
    const filter = holder.success ? (holder.data.holder ?? '') : ''
    const cases = allocationCases(app.db, round.id).map((c) => {
      const eligible = auditors.filter((a) => mayReview(a, c)).length
      return { ...c, eligible }
    })
    const shown = cases.filter((c) =>
      filter === '' ? true : filter === 'unallocated' ? !c.allocated : String(c.auditorId) === filter,
    )
    const draw = getDraw(app.db, round.id)
    return reply.render(
      'rounds/allocation',
      {
        ...roundContext(request, round),
        drawn: draw !== undefined,
        stratifyBy: draw?.stratifyBy ?? 'none',
        auditors,
        loads: auditorLoads(app.db, round.id),
        cases: shown,
        totalCases: cases.length,
        unallocated: cases.filter((c) => !c.allocated),
        stranded: cases.filter((c) => !c.allocated && c.eligible === 0),
        filter,
        selectedAuditors: extra.selectedAuditors ?? auditors.map((a) => a.id),
        selectedCases: extra.selectedCases ?? [],
        refusal: changeRefusal('allocateCases', round.status),
        errors: extra.errors,
      },
      { status: extra.status ?? 200 },
    )
  }

  app.get('/rounds/:id/allocation', { preHandler: loadRound }, async (request, reply) =>
    render(request, reply, roundOf(request)),
  )

  app.post('/rounds/:id/allocation/auto', { preHandler: loadRound }, async (request, reply) => {
    const round = roundOf(request)
    const ids = idList(listField(request.body, 'auditorIds'))
    if (!ids || ids.length === 0)
      return render(request, reply, round, {
        errors: formError(chooseReviewerMessage(reviewerRoles[round.framework]), 'auditorIds'),
        selectedAuditors: [],
        status: 400,
      })
    const result = autoAllocate(app.db, scopeOf(request), round.id, ids)
    if (!result.ok)
      return render(request, reply, round, {
        errors: formError(result.message, result.field),
        selectedAuditors: ids,
        status: 400,
      })
    const stranded =
      result.unassignable.length > 0
        ? `. ${result.unassignable.length} ${result.unassignable.length === 1 ? 'case' : 'cases'} could not be ` +
          `given to any selected auditor, because each is from their home agency: ${listSome(result.unassignable)}`
        : ''
    return redirectWith(
      reply,
      `/rounds/${round.id}/allocation`,
      `${result.assigned} ${result.assigned === 1 ? 'case' : 'cases'} allocated${stranded}`,
    )
  })

  app.post('/rounds/:id/allocation/reassign', { preHandler: loadRound }, async (request, reply) => {
    const round = roundOf(request)
    const caseIds = idList(listField(request.body, 'caseIds'))
    const auditorRaw = listField(request.body, 'auditorId')
    const auditorId = auditorRaw.length === 1 ? idOf(auditorRaw[0]) : null
    const selectedCases = caseIds ?? []
    if (!caseIds || caseIds.length === 0)
      return render(request, reply, round, {
        errors: formError('Select at least one case to reassign', 'caseIds'),
        selectedCases,
        status: 400,
      })
    if (auditorId === null)
      return render(request, reply, round, {
        errors: formError('Select the auditor to give the cases to', 'auditorId'),
        selectedCases,
        status: 400,
      })
    const result = reassignCases(app.db, scopeOf(request), round.id, caseIds, auditorId)
    if (!result.ok)
      return render(request, reply, round, {
        errors: formError(result.message, result.field),
        selectedCases,
        status: 400,
      })
    return redirectWith(
      reply,
      `/rounds/${round.id}/allocation`,
      `${result.moved} ${result.moved === 1 ? 'case' : 'cases'} given to ${result.auditorName}`,
    )
  })
}

export default allocationRoutes
