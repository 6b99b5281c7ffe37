// The Victims' Advocate's observations: recorded by the advocate, private until shared, then read
// by the partnership and the agency observed (observationReach in server/access.ts); their themes
// and trends; the annual summary for the partnership board; and the way from an observation to a
// finding, by linking one or proposing one through the findings' own write path. The themes and
// the summary are in theme-routes.ts, proposals in proposal-routes.ts.
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { todayIso } from '../../../audits/calendar.ts'
import { themes, type ThemeId } from '../../../audits/frameworks/types.ts'
import { observationRatings, type ObservationRating } from '../../../audits/vocabulary.ts'
import { mayChangeObservation } from '../../access.ts'
import { addError, field, idOf, noErrors, submittedValues, type FormErrors } from '../../forms.ts'
import { scopeOf } from '../../plugins/auth.ts'
import type { Scope } from '../../scope.ts'
import {
  createObservation,
  linkObservation,
  listObservations,
  serviceOptions,
  shareObservation,
  updateObservation,
  type ObservationDetail,
} from '../../services/advocate/observations.ts'
import { getFinding, listFindings } from '../../services/findings/finding-queries.ts'
import { findingWords } from '../findings/labels.ts'
import { observationOptions, readObservation, savedValues, typedValues } from './observation-form.ts'
import { observationWords } from './labels.ts'
import { loadObservation, loadOwnObservation, observationOf } from './loaders.ts'
import observationProposalRoutes from './proposal-routes.ts'
import observationThemeRoutes from './theme-routes.ts'

const advocateRoutes: FastifyPluginAsync = async (app) => {
  const db = app.db
  await app.register(observationThemeRoutes)
  await app.register(observationProposalRoutes)

  const servicesFor = (keep: number | null = null) =>
    serviceOptions(db, keep).map((a) => ({ value: String(a.id), text: a.name }))

  function renderForm(
    reply: FastifyReply,
    values: Record<string, unknown>,
    opts: { observation?: ObservationDetail; errors?: FormErrors; status?: number } = {},
  ) {
    return reply.render(
      'observations/form',
      {
        observation: opts.observation,
        services: servicesFor(opts.observation?.agencyId ?? null),
        options: observationOptions,
        values,
        errors: opts.errors,
      },
      { status: opts.status ?? 200 },
    )
  }

  app.get('/observations', async (request, reply) => {
    const scope = scopeOf(request)
    const q = (request.query ?? {}) as Record<string, unknown>
    const theme = themes.some((t) => t.id === q.theme) ? (q.theme as ThemeId) : null
    const rating = (observationRatings as readonly string[]).includes(String(q.rating))
      ? (q.rating as ObservationRating)
      : null
    const agencyId = idOf(q.agency)
    const list = listObservations(db, scope, { theme, rating, agencyId })
    return reply.render(
      'observations/index',
      {
        observations: list,
        filter: { theme: theme ?? '', rating: rating ?? '', agency: agencyId === null ? '' : String(agencyId) },
        services: scope.role === 'agency' ? [] : servicesFor(),
        options: observationOptions,
        ow: observationWords,
      },
      { fragment: 'observations/_results' },
    )
  })

  app.get('/observations/new', async (_request, reply) => renderForm(reply, {}))

  app.post('/observations/new', async (request, reply) => {
    const scope = scopeOf(request)
    const ids = new Set(serviceOptions(db).map((s) => s.id))
    const form = readObservation(request.body, ids, todayIso())
    if (!form.ok) return renderForm(reply, typedValues(request.body), { errors: form.errors, status: 400 })
    const id = createObservation(db, scope, form.input)
    reply.flash('Observation recorded: only you can see it until you share it')
    return reply.redirect(`/observations/${id}`, 303)
  })

  app.get('/observations/:id', { preHandler: loadObservation }, async (request, reply) =>
    renderShow(reply, scopeOf(request), observationOf(request)),
  )

  function renderShow(
    reply: FastifyReply,
    scope: Scope,
    o: ObservationDetail,
    extra: { errors?: FormErrors; values?: Record<string, unknown> } = {},
    status = 200,
  ) {
    const mine = mayChangeObservation(scope, o.authorId)
    // The linked finding shows only to those who may read it in its present state.
    const finding = o.findingId === null ? undefined : getFinding(db, scope, o.findingId)
    return reply.render(
      'observations/show',
      {
        observation: o,
        finding,
        mine,
        linkable: mine ? listFindings(db, scope).filter((f) => f.agencyId === o.agencyId) : [],
        values: extra.values ?? { finding: o.findingId === null ? '' : String(o.findingId) },
        errors: extra.errors,
        fw: findingWords,
        ow: observationWords,
      },
      { status },
    )
  }

  app.get('/observations/:id/edit', { preHandler: loadOwnObservation }, async (request, reply) => {
    const o = observationOf(request)
    return renderForm(reply, savedValues(o), { observation: o })
  })

  app.post('/observations/:id/edit', { preHandler: loadOwnObservation }, async (request, reply) => {
    const scope = scopeOf(request)
    const o = observationOf(request)
    const ids = new Set(serviceOptions(db, o.agencyId).map((s) => s.id))
    const form = readObservation(request.body, ids, todayIso())
    if (!form.ok)
      return renderForm(reply, typedValues(request.body), { observation: o, errors: form.errors, status: 400 })
    updateObservation(db, scope, o.id, form.input)
    reply.flash('Observation saved')
    return reply.redirect(`/observations/${o.id}`, 303)
  })

  app.post('/observations/:id/share', { preHandler: loadOwnObservation }, async (request, reply) => {
    const scope = scopeOf(request)
    const o = observationOf(request)
    if (o.sharedAt === null) {
      shareObservation(db, scope, o.id)
      reply.flash(`Observation shared with the partnership and with ${o.agencyName}`)
    }
    return reply.redirect(`/observations/${o.id}`, 303)
  })

  app.post('/observations/:id/link', { preHandler: loadOwnObservation }, async (request, reply) => {
    const scope = scopeOf(request)
    const o = observationOf(request)
    const raw = field(request.body, 'finding')
    if (raw === 'none') {
      if (o.findingId !== null) linkObservation(db, scope, o.id, null)
      reply.flash('Link to the finding removed')
      return reply.redirect(`/observations/${o.id}`, 303)
    }
    const id = idOf(raw)
    const f = id === null ? undefined : getFinding(db, scope, id)
    if (!f || f.agencyId !== o.agencyId) {
      const errors = noErrors()
      addError(errors, 'finding', `Select a finding about ${o.agencyName}`)
      return renderShow(reply, scope, o, { errors, values: submittedValues(request.body) }, 400)
    }
    if (o.findingId !== f.id) linkObservation(db, scope, o.id, f.id)
    reply.flash(`Observation linked to the finding "${f.title}"`)
    return reply.redirect(`/observations/${o.id}`, 303)
  })
}

export default advocateRoutes
