// Rounds: list, create, view and edit (while draft), and the round's time limit overrides.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { changeRefusal } from '../../../audits/round-lifecycle.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { addError, fieldsOf, formError, type FormErrors, type Redisplay } from '../../forms.ts'
import { loadRound, redirectWith, roundContext, roundOf } from './common.ts'
import {
  agenciesInScope,
  agencyChoices,
  agencyIdsExist,
  createRound,
  listRounds,
  populationSummary,
  sampleSummary,
  updateRound,
  type Round,
} from '../../services/rounds/queries.ts'
import {
  newRoundValues,
  parseRoundForm,
  roundValues,
  submittedRoundValues,
  type RoundFormValues,
} from './round-form.ts'
import { listOverrides, removeOverride, saveOverride } from '../../services/rounds/overrides.ts'
import { itemOptions, parseOverrideForm } from './override-form.ts'
import { drawStrata } from '../../services/rounds/draw.ts'
import { auditorLoads } from '../../services/rounds/allocation-queries.ts'
import { roundLabels } from './labels.ts'

const roundPages: FastifyPluginAsync = async (app) => {
  const renderForm = (
    reply: FastifyReply,
    round: Round | null,
    values: RoundFormValues,
    errors?: FormErrors,
    status = 200,
  ) => reply.render('rounds/form', { round, values, errors, agencies: agencyChoices(app.db, round?.id) }, { status })

  app.get('/rounds', async (request, reply) => {
    return reply.render('rounds/index', {
      rounds: listRounds(app.db),
      canCreate: scopeOf(request).role === 'admin',
      labels: roundLabels,
    })
  })

  app.get('/rounds/new', async (_request, reply) => {
    const active = agencyChoices(app.db).map((a) => a.id)
    return renderForm(reply, null, newRoundValues(active))
  })

  /** The round form, checked; or the form shown again with what is wrong. */
  const checkedForm = (request: FastifyRequest, reply: FastifyReply, round: Round | null) => {
    const form = parseRoundForm(request.body)
    const errors = !form.ok
      ? form.errors
      : agencyIdsExist(app.db, form.data.agencyIds)
        ? null
        : formError('Select agencies from the list', 'agencyIds')
    if (!form.ok || errors)
      return { refused: renderForm(reply, round, submittedRoundValues(request.body), errors ?? undefined, 400) }
    return { data: form.data }
  }

  /** A round's details change only while it is a draft; otherwise its page says why. */
  const editRefused = (request: FastifyRequest, reply: FastifyReply, round: Round) => {
    const refusal = changeRefusal('editDetails', round.status)
    if (!refusal) return null
    return reply.render('rounds/show', { ...showData(request, round), errors: formError(refusal) }, { status: 400 })
  }

  app.post('/rounds/new', async (request, reply) => {
    const form = checkedForm(request, reply, null)
    if (!form.data) return form.refused
    const id = createRound(app.db, scopeOf(request), form.data)
    return redirectWith(reply, `/rounds/${id}`, `Round “${form.data.name}” created`)
  })

  app.get('/rounds/:id', { preHandler: loadRound }, async (request, reply) => {
    const round = roundOf(request)
    return reply.render('rounds/show', showData(request, round))
  })

  app.get('/rounds/:id/edit', { preHandler: loadRound }, async (request, reply) => {
    const round = roundOf(request)
    const refused = editRefused(request, reply, round)
    if (refused) return refused
    const agencyIds = agenciesInScope(app.db, round.id).map((a) => a.id)
    return renderForm(reply, round, roundValues(round, agencyIds))
  })

  app.post('/rounds/:id/edit', { preHandler: loadRound }, async (request, reply) => {
    const round = roundOf(request)
    const refused = editRefused(request, reply, round)
    if (refused) return refused
    const form = checkedForm(request, reply, round)
    if (!form.data) return form.refused
    const { removedOverrides } = updateRound(app.db, scopeOf(request), round.id, form.data)
    const note =
      removedOverrides.length > 0
        ? `; ${removedOverrides.length} time limit ${removedOverrides.length === 1 ? 'override' : 'overrides'} ` +
          `for the other edition removed`
        : ''
    return redirectWith(reply, `/rounds/${round.id}`, `Round details saved${note}`)
  })

  const renderOverrides = (request: FastifyRequest, reply: FastifyReply, round: Round, extra: Redisplay = {}) =>
    reply.render(
      'rounds/overrides',
      {
        ...roundContext(request, round),
        overrides: listOverrides(app.db, round.id),
        items: itemOptions(round.framework, round.edition),
        values: extra.values ?? {},
        errors: extra.errors,
        refusal: changeRefusal('editOverrides', round.status),
      },
      { status: extra.status ?? 200 },
    )

  app.get('/rounds/:id/overrides', { preHandler: loadRound }, async (request, reply) =>
    renderOverrides(request, reply, roundOf(request)),
  )

  app.post('/rounds/:id/overrides', { preHandler: loadRound }, async (request, reply) => {
    const round = roundOf(request)
    const values = overrideValues(request.body)
    const refusal = changeRefusal('editOverrides', round.status)
    if (refusal) return renderOverrides(request, reply, round, { values, errors: formError(refusal), status: 400 })
    const form = parseOverrideForm(request.body, round.framework, round.edition)
    if (!form.ok) return renderOverrides(request, reply, round, { values, errors: form.errors, status: 400 })
    saveOverride(app.db, scopeOf(request), round.id, form.data)
    return redirectWith(reply, `/rounds/${round.id}/overrides`, `Time limit override for ${form.data.itemId} saved`)
  })

  app.post('/rounds/:id/overrides/remove', { preHandler: loadRound }, async (request, reply) => {
    const round = roundOf(request)
    const refusal = changeRefusal('editOverrides', round.status)
    if (refusal) return renderOverrides(request, reply, round, { errors: formError(refusal), status: 400 })
    const itemId = overrideValues(request.body).itemId ?? ''
    if (!removeOverride(app.db, scopeOf(request), round.id, itemId)) {
      const errors: FormErrors = { summary: [], fields: {} }
      addError(errors, 'form', 'That override does not exist: it may already have been removed')
      return renderOverrides(request, reply, round, { errors, status: 400 })
    }
    return redirectWith(reply, `/rounds/${round.id}/overrides`, `Time limit override for ${itemId} removed`)
  })

  function showData(request: FastifyRequest, round: Round) {
    const sample = sampleSummary(app.db, round.id)
    return {
      ...roundContext(request, round),
      agencies: agenciesInScope(app.db, round.id),
      overrides: listOverrides(app.db, round.id),
      population: populationSummary(app.db, round.id),
      sample,
      strata: sample.draw ? drawStrata(sample.draw) : [],
      loads: sample.draw ? auditorLoads(app.db, round.id) : [],
      editRefusal: changeRefusal('editDetails', round.status),
    }
  }
}

const overrideValues = (body: unknown) => fieldsOf(body, ['itemId', 'standardDays', 'enhancedDays', 'reason'])

export default roundPages
