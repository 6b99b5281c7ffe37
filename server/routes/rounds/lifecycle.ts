// Moving a round on: a confirmation page for each step; the move itself, with its guards checked
// again on the POST, is services/rounds/lifecycle.ts.
import { asBody } from '../../forms.ts'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Queryable } from '../../../schema/database.ts'
import { isRoundStage, stageName, transitionProblems, type RoundStage } from '../../../audits/round-lifecycle.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { requestedRound, redirectWith, roundContext } from './common.ts'
import { getRound, type Round } from '../../services/rounds/queries.ts'
import { outstanding } from '../../services/moderation/queries.ts'
import { moveRound, openCaseCount, roundFacts } from '../../services/rounds/lifecycle.ts'

// Admins move rounds; moderators may also publish one (checked per request in mayMove).

/** What moving to each stage means, said on the confirmation page. */
const consequences: Record<RoundStage, string[]> = {
  draft: [],
  sampling: [
    'The round’s name, edition, period, agencies in scope and thresholds can no longer be changed.',
    'You can then plan the sample and draw it. Time limit overrides can still be changed.',
  ],
  fieldwork: [
    'Auditors see their allocated cases and start reviewing them.',
    'The sample can no longer be drawn again. Unusable cases can still be replaced and the sample extended.',
    'Time limit overrides can no longer be changed.',
  ],
  moderation: [
    'Fieldwork ends and moderators second-mark a share of the reviewed cases.',
    'Cases can no longer be replaced, added or reallocated.',
  ],
  published: [
    'The round’s results are published to agencies and the partnership.',
    'The round becomes read-only: nothing in it can be changed again.',
  ],
  archived: ['The round is archived. It stays read-only and its results remain available.'],
}

/** Things worth knowing before moving on that do not stop it. */
function warnings(db: Queryable, roundId: number, to: RoundStage): string[] {
  if (to !== 'moderation') return []
  const n = openCaseCount(db, roundId)
  return n > 0 ? [`${n} sampled ${n === 1 ? 'case is' : 'cases are'} not yet complete.`] : []
}

const lifecycleRoutes: FastifyPluginAsync = async (app) => {
  const target = (request: FastifyRequest): RoundStage | null => {
    const to = asBody(request.params).to
    return isRoundStage(to) ? to : null
  }

  const renderConfirm = (
    request: FastifyRequest,
    reply: FastifyReply,
    round: Round,
    to: RoundStage,
    problems: string[],
    status = 200,
  ) =>
    reply.render(
      'rounds/transition',
      {
        ...roundContext(request, round),
        to,
        fromName: stageName(round.status),
        toName: stageName(to),
        consequences: consequences[to],
        warnings: warnings(app.db, round.id, to),
        problems,
        // The publish gate's outstanding work, each with a link to where it is done.
        outstanding: to === 'published' && round.status === 'moderation' ? outstanding(app.db, round.id) : null,
        errors:
          status === 400 ? { summary: problems.map((text) => ({ text, href: '#problems' })), fields: {} } : undefined,
      },
      { status },
    )

  // Moderators sign a round off: they may publish it from moderation, and move nothing else.
  const mayMove = (request: FastifyRequest, round: Round, to: RoundStage) =>
    scopeOf(request).role === 'admin' || (round.status === 'moderation' && to === 'published')

  app.get('/rounds/:id/status/:to', async (request, reply) => {
    const round = requestedRound(app.db, request)
    const to = target(request)
    if (!round || !to || !mayMove(request, round, to)) return sendNotFound(reply)
    return renderConfirm(request, reply, round, to, transitionProblems(round.status, to, roundFacts(app.db, round.id)))
  })

  app.post('/rounds/:id/status/:to', async (request, reply) => {
    const round = requestedRound(app.db, request)
    const to = target(request)
    if (!round || !to || !mayMove(request, round, to)) return sendNotFound(reply)
    const moved = moveRound(app.db, scopeOf(request), round.id, to)
    if (!moved.ok) return renderConfirm(request, reply, getRound(app.db, round.id) ?? round, to, moved.problems, 400)
    return redirectWith(reply, `/rounds/${round.id}`, `Round moved to ${stageName(to).toLowerCase()}`)
  })
}

export default lifecycleRoutes
