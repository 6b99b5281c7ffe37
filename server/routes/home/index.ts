import type { FastifyPluginAsync } from 'fastify'
import { scopeOf } from '../../plugins/auth.ts'
import { homeSummary } from './queries.ts'
import { todayIso } from '../../../audits/calendar.ts'
import { findingCounts, liveActions } from '../findings/queries.ts'
import { findingWords } from '../findings/labels.ts'

const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', async (request, reply) => {
    const scope = scopeOf(request)
    const today = todayIso()
    return reply.render('home/index', { ...homeSummary(app.db, scope), findings: findingCounts(app.db, scope, today), liveActions: liveActions(app.db, scope, today), fw: findingWords })
  })
}
export default homeRoutes
