// Compliance scores: the rounds list, a round's dashboard with drill-down to agencies, items and
// the case answers behind a figure, trends across rounds, the Ministry of Justice measures, the
// partnership summary, exports and the printable report. Auditors see none of it (404).
import { CSV_TYPE, XLSX_TYPE, sendDownload } from '../../downloads.ts'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../../../schema/database.ts'
import { getItem, themes } from '../../../audits/frameworks/index.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { blindCaseRefs } from '../../services/moderation/queries.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { asBody, formError, idOf, idParam } from '../../forms.ts'
import { agencyRestriction, canSeeCaseAnswers } from '../../access.ts'
import type { Scope } from '../../scope.ts'
import { barChart } from '../../charts/bar.ts'
import { trendChart } from '../../charts/trend.ts'
import { responsiveChart } from '../../charts/svg.ts'
import { figure, wording } from '../../services/scores/figures.ts'
import { caseAnswers, roundRollup } from '../../services/scores/rollup-queries.ts'
import {
  agencyOptions,
  findAgency,
  findRound,
  timeLimitOverrides,
  visibleRounds,
  type ScoreRound,
} from '../../services/scores/rounds-queries.ts'
import { buildRoundModel, thresholdsOf, type RoundModel } from '../../services/scores/round-model.ts'
import { methodSections } from './method.ts'
import { dataDictionaryCsv, mojCsv, scoresCsv } from './score-csv.ts'
import { scoresXlsx } from './score-workbook.ts'
import { buildTrend, measureOptions, parseMeasure } from '../../services/scores/trend-model.ts'
import { buildSummary } from '../../services/scores/summary-model.ts'
import { todayIso } from '../../../audits/calendar.ts'
import { openFindings, reportFindings } from '../../services/findings/finding-queries.ts'
import { findingWords } from '../findings/labels.ts'

/** The round named in the URL if the user may see it; otherwise the reply is already a 404. */
function roundFrom(request: FastifyRequest, reply: FastifyReply): ScoreRound | null {
  const id = idParam(request.params, 'id')
  const round = id === null ? undefined : findRound(request.server.db, scopeOf(request), id)
  if (!round) {
    sendNotFound(reply)
    return null
  }
  return round
}

function guides(round: ScoreRound) {
  return [
    { value: round.ragAmber / 100, label: `Amber ${round.ragAmber}%` },
    { value: round.ragGreen / 100, label: `Green ${round.ragGreen}%` },
  ]
}

function fileStem(round: ScoreRound): string {
  return `scores-round-${round.id}`
}

function dashboardChart(model: RoundModel): string {
  const rows = [...model.blocks]
  const data = [...rows, ...(model.partnership ? [model.partnership] : [])].map((b) => ({
    label: b.agency ? b.agency.shortName : 'All agencies',
    value: b.overall.rate,
    lower: b.overall.lower,
    upper: b.overall.upper,
  }))
  return responsiveChart(barChart, {
    id: `round-${model.round.id}-overall`,
    title: `Overall strict compliance by agency, ${model.round.name}`,
    description:
      `Horizontal bars show each agency's strict compliance rate with its 95% interval as a line ` +
      `across the bar's end; dashed lines mark the amber (${model.round.ragAmber}%) and green ` +
      `(${model.round.ragGreen}%) thresholds. The same figures are in the table below the chart.`,
    data,
    guides: guides(model.round),
  })
}

const scoresRoutes: FastifyPluginAsync = async (app) => {
  app.get('/scores', async (request, reply) => {
    const scope = scopeOf(request)
    const rounds = visibleRounds(app.db, scope).reverse()
    return reply.render('scores/index', { rounds, f: wording })
  })

  app.get('/scores/rounds/:id', async (request, reply) => {
    const round = roundFrom(request, reply)
    if (!round) return reply
    const model = buildRoundModel(app.db, scopeOf(request), round, 'summary')
    return reply.render('scores/round', { model, themes, chart: dashboardChart(model), f: wording })
  })

  app.get('/scores/rounds/:id/agencies/:agencyId', async (request, reply) => {
    const scope = scopeOf(request)
    const round = roundFrom(request, reply)
    if (!round) return reply
    const agencyId = idParam(request.params, 'agencyId')
    const agency = agencyId === null ? undefined : findAgency(app.db, scope, agencyId)
    if (!agency) return sendNotFound(reply)
    const model = buildRoundModel(app.db, scope, round, 'full', agency.id)
    const block = model.blocks[0]
    if (!block) return sendNotFound(reply)
    return reply.render('scores/agency', { model, block, f: wording, seesCases: canSeeCaseAnswers(scope) })
  })

  app.get('/scores/rounds/:id/agencies/:agencyId/items/:itemId', async (request, reply) => {
    const scope = scopeOf(request)
    if (!canSeeCaseAnswers(scope)) return sendNotFound(reply)
    const round = roundFrom(request, reply)
    if (!round) return reply
    const agencyId = idParam(request.params, 'agencyId')
    const agency = agencyId === null ? undefined : findAgency(app.db, scope, agencyId)
    const itemId = (request.params as { itemId?: string }).itemId ?? ''
    const item = getItem(itemId)
    if (!agency || !item) return sendNotFound(reply)
    const rollup = roundRollup(app.db, round.id, agency.id, ['agency_item'])
    const fig = figure(rollup.get('agency_item', agency.id, item.id), thresholdsOf(round))
    // A moderator still second-marking a case must not see its first marks here either.
    const blind = blindCaseRefs(app.db, scope.userId)
    const answers = caseAnswers(app.db, round.id, agency.id, item.id).filter((a) => !blind.has(a.caseRef))
    return reply.render('scores/item-cases', { round, agency, item, figure: fig, answers, f: wording })
  })

  app.get('/scores/rounds/:id/moj', async (request, reply) => {
    const round = roundFrom(request, reply)
    if (!round) return reply
    const model = buildRoundModel(app.db, scopeOf(request), round, 'full')
    return reply.render('scores/moj', { model, f: wording })
  })

  app.get('/scores/rounds/:id/moj.csv', async (request, reply) => {
    const round = roundFrom(request, reply)
    if (!round) return reply
    const model = buildRoundModel(app.db, scopeOf(request), round, 'full')
    return sendDownload(reply, CSV_TYPE, `${fileStem(round)}-moj-measures.csv`, mojCsv(model))
  })

  app.get('/scores/data-dictionary.csv', async (_request, reply) => {
    return sendDownload(reply, CSV_TYPE, 'scores-data-dictionary.csv', dataDictionaryCsv())
  })

  app.get('/scores/rounds/:id/export.csv', async (request, reply) => {
    const round = roundFrom(request, reply)
    if (!round) return reply
    const model = buildRoundModel(app.db, scopeOf(request), round, 'full')
    return sendDownload(reply, CSV_TYPE, `${fileStem(round)}.csv`, scoresCsv(model))
  })

  app.get('/scores/rounds/:id/export.xlsx', async (request, reply) => {
    const round = roundFrom(request, reply)
    if (!round) return reply
    const model = buildRoundModel(app.db, scopeOf(request), round, 'full')
    const body = await scoresXlsx(model, methodSections(model, timeLimitOverrides(app.db, round.id)))
    return sendDownload(reply, XLSX_TYPE, `${fileStem(round)}.xlsx`, body)
  })

  app.get('/scores/rounds/:id/report', async (request, reply) => {
    const round = roundFrom(request, reply)
    if (!round) return reply
    const model = buildRoundModel(app.db, scopeOf(request), round, 'full')
    const overrides = timeLimitOverrides(app.db, round.id)
    return reply.render('scores/report', {
      model,
      themes,
      method: methodSections(model, overrides),
      overrides,
      chart: dashboardChart(model),
      printedOn: new Date().toISOString().slice(0, 10),
      findings: reportFindings(app.db, scopeOf(request), round.id, todayIso()),
      fw: findingWords,
      f: wording,
    })
  })

  app.get('/scores/trends', async (request, reply) => {
    const scope = scopeOf(request)
    const query = asBody(request.query)
    const agencyFilter = trendAgency(app.db, scope, query.agency)
    if (agencyFilter === 'not-found') return sendNotFound(reply)
    const measure = parseMeasure(query.measure)
    // Trends follow the Code across rounds; a commissioned-services dip sample measures services.
    const rounds = visibleRounds(app.db, scope, 'victims_code')
    const base = {
      agencies: agencyOptions(app.db, scope),
      agencyId: agencyFilter?.id ?? null,
      agencyName: agencyFilter?.name ?? null,
      ownOnly: agencyRestriction(scope) !== null,
      measureGroups: measureOptions(),
      f: wording,
    }
    if (!measure) {
      const errors = formError('Choose a measure from the list', 'measure')
      return reply.render(
        'scores/trends',
        { ...base, errors, measureValue: '', points: [], chart: '', measure: null },
        { fragment: 'scores/_trend-results', status: 400 },
      )
    }
    const points = buildTrend(app.db, rounds, agencyFilter?.id ?? null, measure)
    const subject = agencyFilter?.name ?? 'all agencies (partnership)'
    const last = rounds[rounds.length - 1]
    const chart =
      points.length > 0
        ? responsiveChart(trendChart, {
            id: 'trend',
            title: `${measure.name}, ${subject}, by round`,
            description:
              `A line through each round's strict compliance rate, inside a shaded band for its 95% ` +
              `interval; open circles mark rounds measured through a partial match between Code ` +
              `editions.${last ? ` Dashed lines mark the latest round's amber and green thresholds.` : ''} The ` +
              `same figures are in the table below.`,
            data: points.map((p) => ({
              label: p.round.name,
              value: p.figure.rate,
              lower: p.figure.lower,
              upper: p.figure.upper,
              caveat: p.match === 'partial',
            })),
            guides: last ? guides(last) : [],
          })
        : ''
    return reply.render(
      'scores/trends',
      { ...base, measure, measureValue: measure.value, points, chart, subject },
      { fragment: 'scores/_trend-results' },
    )
  })

  app.get('/scores/summary', async (request, reply) => {
    const scope = scopeOf(request)
    const summary = buildSummary(app.db, scope)
    return reply.render('scores/summary', {
      summary,
      themes,
      f: wording,
      openFindings: openFindings(app.db, scope),
      fw: findingWords,
    })
  })
}

/**
 * The agency a trend is for: none (partnership-wide) by default; an agency user's own agency
 * always; 'not-found' for an agency the user may not see or that does not exist.
 */
function trendAgency(db: Db, scope: Scope, raw: unknown): { id: number; name: string } | null | 'not-found' {
  const own = agencyRestriction(scope)
  if (raw === undefined || raw === '') {
    if (own === null) return null
    const a = findAgency(db, scope, own)
    return a ? { id: a.id, name: a.name } : 'not-found'
  }
  const id = idOf(raw)
  const a = id === null ? undefined : findAgency(db, scope, id)
  return a ? { id: a.id, name: a.name } : 'not-found'
}

export default scoresRoutes
