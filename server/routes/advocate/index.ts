// The Victims' Advocate's observations: recorded by the advocate, private until shared, then read
// by the partnership and the agency observed (observationReach in server/access.ts); their themes
// and trends; the annual summary for the partnership board; and the way from an observation to a
// finding, by linking one or proposing one through the findings' own write path.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { todayIso } from '../../../audits/calendar.ts'
import { initialStatus } from '../../../audits/findings.ts'
import { headingItems } from '../../../audits/frameworks/index.ts'
import { themes, type ThemeId } from '../../../audits/frameworks/types.ts'
import { financialYear, financialYearOf, RECURRING_MIN } from '../../../audits/observation-themes.ts'
import { observationRatings, type ObservationRating } from '../../../audits/vocabulary.ts'
import { mayChangeObservation } from '../../access.ts'
import { addError, field, idOf, idParam, listField, noErrors, submittedValues, type FormErrors } from '../../forms.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import type { Scope } from '../../scope.ts'
import {
  createObservation,
  getObservation,
  latestObservedOn,
  linkObservation,
  listObservations,
  serviceOptions,
  shareObservation,
  updateObservation,
  type ObservationDetail,
} from '../../services/advocate/observations.ts'
import { proposeFromObservation } from '../../services/advocate/proposals.ts'
import { summaryCsv } from './summary-csv.ts'
import { themeFigures, trendDimensions, type TrendDimension } from '../../services/advocate/themes.ts'
import { actorFor, getFinding, listFindings } from '../../services/findings/queries.ts'
import { findingWords, itemOptions, severityOptions } from '../findings/labels.ts'
import { findRound, visibleRounds } from '../../services/scores/rounds-queries.ts'
import { observationOptions, readObservation, savedValues, typedValues } from './observation-form.ts'
import { observationWords } from './labels.ts'
import { readProposal } from './proposal-form.ts'

/** The financial year asked for in `?year=`, or null for every year. */
function yearQuery(q: Record<string, unknown>): number | null {
  const y = typeof q.year === 'string' && /^20\d\d$/.test(q.year) ? Number(q.year) : null
  return y
}

const advocateRoutes: FastifyPluginAsync = async (app) => {
  const db = app.db

  function observationFrom(request: FastifyRequest, reply: FastifyReply): ObservationDetail | undefined {
    const id = idParam(request.params)
    const o = id === null ? undefined : getObservation(db, scopeOf(request), id)
    if (!o) sendNotFound(reply)
    return o
  }

  /** The observation in the URL when this user wrote it; anyone else gets the not-found page. */
  function ownObservationFrom(request: FastifyRequest, reply: FastifyReply): ObservationDetail | undefined {
    const scope = scopeOf(request)
    const id = idParam(request.params)
    const o = id === null ? undefined : getObservation(db, scope, id)
    if (!o || !mayChangeObservation(scope, o.authorId)) {
      sendNotFound(reply)
      return undefined
    }
    return o
  }

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

  app.get('/observations/themes', async (request, reply) => {
    const scope = scopeOf(request)
    const q = (request.query ?? {}) as Record<string, unknown>
    const year = yearQuery(q)
    const fy = year === null ? null : financialYear(year)
    const trendBy = (trendDimensions as readonly string[]).includes(String(q.trend))
      ? (q.trend as TrendDimension)
      : 'theme'
    return reply.render('observations/themes', {
      figures: themeFigures(db, scope, { from: fy?.from ?? null, to: fy?.to ?? null }, { trendBy }),
      trendOptions: [
        { value: 'theme', text: 'Theme' },
        { value: 'right', text: 'Code Right' },
        { value: 'service', text: 'Service' },
      ],
      year,
      yearLabel: fy?.label ?? null,
      years: yearOptions(todayIso()),
      recurringMin: RECURRING_MIN,
      themes,
      ow: observationWords,
    })
  })

  /** The financial years offered: from 2021/22 (the 2020 Code in force) to the current one. */
  function yearOptions(today: string) {
    const out: { value: string; text: string }[] = []
    for (let y = financialYearOf(today); y >= 2021; y--) out.push({ value: String(y), text: financialYear(y).label })
    return out
  }

  /** The year asked for; otherwise the latest with a shared observation (or this year, if none). */
  function summaryYear(request: FastifyRequest): number {
    const asked = yearQuery((request.query ?? {}) as Record<string, unknown>)
    if (asked !== null) return asked
    return financialYearOf(latestObservedOn(db, scopeOf(request), { sharedOnly: true }) ?? todayIso())
  }

  app.get('/observations/summary', async (request, reply) => {
    const scope = scopeOf(request)
    const year = summaryYear(request)
    const fy = financialYear(year)
    const figures = themeFigures(db, scope, fy, { sharedOnly: true })
    const unshared =
      scope.role === 'advocate' ? listObservations(db, scope, { unshared: true, from: fy.from, to: fy.to }).length : 0
    return reply.render('observations/summary', {
      figures,
      year,
      fy,
      years: yearOptions(todayIso()),
      unshared,
      observations: listObservations(db, scope, { from: fy.from, to: fy.to }).filter((o) => o.sharedAt !== null),
      recurringMin: RECURRING_MIN,
      ow: observationWords,
    })
  })

  app.get('/observations/summary.csv', async (request, reply) => {
    const scope = scopeOf(request)
    const fy = financialYear(summaryYear(request))
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="advocate-summary-${fy.label.replace('/', '-')}.csv"`)
      .header('Cache-Control', 'no-store')
      .send(summaryCsv(fy, themeFigures(db, scope, fy, { sharedOnly: true })))
  })

  app.get('/observations/:id', async (request, reply) => {
    const scope = scopeOf(request)
    const o = observationFrom(request, reply)
    if (!o) return reply
    return renderShow(reply, scope, o)
  })

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

  app.get('/observations/:id/edit', async (request, reply) => {
    const o = ownObservationFrom(request, reply)
    if (!o) return reply
    return renderForm(reply, savedValues(o), { observation: o })
  })

  app.post('/observations/:id/edit', async (request, reply) => {
    const scope = scopeOf(request)
    const o = ownObservationFrom(request, reply)
    if (!o) return reply
    const ids = new Set(serviceOptions(db, o.agencyId).map((s) => s.id))
    const form = readObservation(request.body, ids, todayIso())
    if (!form.ok)
      return renderForm(reply, typedValues(request.body), { observation: o, errors: form.errors, status: 400 })
    updateObservation(db, scope, o.id, form.input)
    reply.flash('Observation saved')
    return reply.redirect(`/observations/${o.id}`, 303)
  })

  app.post('/observations/:id/share', async (request, reply) => {
    const scope = scopeOf(request)
    const o = ownObservationFrom(request, reply)
    if (!o) return reply
    if (o.sharedAt === null) {
      shareObservation(db, scope, o.id)
      reply.flash(`Observation shared with the partnership and with ${o.agencyName}`)
    }
    return reply.redirect(`/observations/${o.id}`, 303)
  })

  app.post('/observations/:id/link', async (request, reply) => {
    const scope = scopeOf(request)
    const o = ownObservationFrom(request, reply)
    if (!o) return reply
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

  app.get('/observations/:id/propose', async (request, reply) => {
    const scope = scopeOf(request)
    const o = ownObservationFrom(request, reply)
    if (!o) return reply
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

  app.post('/observations/:id/propose', async (request, reply) => {
    const scope = scopeOf(request)
    const o = ownObservationFrom(request, reply)
    if (!o) return reply
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

export default advocateRoutes
