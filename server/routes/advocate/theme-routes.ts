// The themes of the advocate's observations and the annual summary for the partnership board.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { todayIso } from '../../../audits/calendar.ts'
import { themes } from '../../../audits/frameworks/types.ts'
import { financialYear, financialYearOf, RECURRING_MIN } from '../../../audits/observation-themes.ts'
import { CSV_TYPE, sendDownload } from '../../downloads.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { countObservations, latestObservedOn, listObservations } from '../../services/advocate/observations.ts'
import { themeFigures, trendDimensions, type TrendDimension } from '../../services/advocate/themes.ts'
import { observationWords } from './labels.ts'
import { summaryCsv } from './summary-csv.ts'

/** The financial year asked for in `?year=`, or null for every year. */
function yearQuery(q: Record<string, unknown>): number | null {
  const y = typeof q.year === 'string' && /^20\d\d$/.test(q.year) ? Number(q.year) : null
  return y
}

/** The financial years offered: from 2021/22 (the 2020 Code in force) to the current one. */
function yearOptions(today: string) {
  const out: { value: string; text: string }[] = []
  for (let y = financialYearOf(today); y >= 2021; y--) out.push({ value: String(y), text: financialYear(y).label })
  return out
}

const observationThemeRoutes: FastifyPluginAsync = async (app) => {
  const db = app.db

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
      scope.role === 'advocate' ? countObservations(db, scope, { unshared: true, from: fy.from, to: fy.to }) : 0
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
    const name = `advocate-summary-${fy.label.replace('/', '-')}.csv`
    return sendDownload(reply, CSV_TYPE, name, summaryCsv(fy, themeFigures(db, scope, fy, { sharedOnly: true })))
  })
}
export default observationThemeRoutes
