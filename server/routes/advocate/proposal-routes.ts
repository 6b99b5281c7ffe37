// A finding proposed (or raised as a draft) from one of the advocate's own observations.
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { initialStatus } from '../../../audits/findings.ts'
import { headingItems } from '../../../audits/frameworks/index.ts'
import { themes } from '../../../audits/frameworks/types.ts'
import { field, idOf, listField, submittedValues, type FormErrors } from '../../forms.ts'
import { scopeOf } from '../../plugins/auth.ts'
import type { Scope } from '../../scope.ts'
import { serviceOptions, type ObservationDetail } from '../../services/advocate/observations.ts'
import { proposeFromObservation } from '../../services/advocate/proposals.ts'
import { actorFor } from '../../services/findings/visibility.ts'
import { findRound, visibleRounds } from '../../services/scores/rounds-queries.ts'
import { itemOptions, severityOptions } from '../findings/labels.ts'
import { loadOwnObservation, observationOf } from './loaders.ts'
import { readProposal } from './proposal-form.ts'

const observationProposalRoutes: FastifyPluginAsync = async (app) => {
  const db = app.db

  /** The round a proposal would come from: the one asked for, or the latest the advocate reads. */
  function proposalRound(scope: Scope, raw: unknown) {
    const id = idOf(raw)
    const asked = id === null ? undefined : findRound(db, scope, id)
    return asked ?? visibleRounds(db, scope).at(-1)
  }

  function renderPropose(
    reply: FastifyReply,
    scope: Scope,
    o: ObservationDetail,
    roundRaw: unknown,
    values: Record<string, unknown>,
    errors?: FormErrors,
    status = 200,
  ) {
    const round = proposalRound(scope, roundRaw)
    const items = round ? headingItems(round.framework, round.edition) : []
    return reply.render(
      'observations/propose',
      {
        observation: o,
        round,
        rounds: visibleRounds(db, scope)
          .reverse()
          .map((r) => ({ value: String(r.id), text: r.name })),
        itemOptions: itemOptions(items),
        severityOptions,
        values,
        errors,
      },
      { status },
    )
  }

  app.get('/observations/:id/propose', { preHandler: loadOwnObservation }, async (request, reply) => {
    const scope = scopeOf(request)
    const o = observationOf(request)
    const q = (request.query ?? {}) as Record<string, unknown>
    const round = proposalRound(scope, q.round)
    // Items of the Rights the observation touches, for the service's kind of agency.
    const type = serviceOptions(db, o.agencyId).find((a) => a.id === o.agencyId)?.type
    const suggested = round
      ? headingItems(round.framework, round.edition)
          .filter((i) => i.right !== null && o.rights.includes(i.right) && i.agency === type)
          .map((i) => i.id)
      : []
    const themeNames = o.themes.map((t) => themes.find((x) => x.id === t)?.name ?? t).join(', ')
    return renderPropose(reply, scope, o, q.round, {
      title: `${themeNames}: observed ${o.observedOn}`,
      items: suggested,
      severity: o.rating === 'inadequate' ? 'high' : '',
      recommendation: o.couldImprove,
    })
  })

  app.post('/observations/:id/propose', { preHandler: loadOwnObservation }, async (request, reply) => {
    const scope = scopeOf(request)
    const o = observationOf(request)
    const body = request.body
    const round = proposalRound(scope, field(body, 'round'))
    const form = readProposal(body, round)
    const status = initialStatus(actorFor(scope, o.agencyId))
    if (!round || !form.ok || status === null) {
      const values = { ...submittedValues(body), items: listField(body, 'items') }
      return renderPropose(reply, scope, o, field(body, 'round'), values, form.ok ? undefined : form.errors, 400)
    }
    const findingId = proposeFromObservation(db, scope, o.id, {
      ...form.proposal,
      round,
      agencyId: o.agencyId,
      caseRefs: [],
      status,
    })
    reply.flash(
      status === 'proposed'
        ? 'Finding proposed from the observation: a moderator will accept or decline it'
        : 'Finding raised as a draft',
    )
    return reply.redirect(`/findings/${findingId}`, 303)
  })
}
export default observationProposalRoutes
