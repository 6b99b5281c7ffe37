import type { FastifyPluginAsync } from 'fastify'
import { scopeOf } from '../../plugins/auth.ts'
import { homeSummary } from '../../services/home/queries.ts'
import { moderationWork } from '../../services/moderation/queries.ts'
import { todayIso } from '../../../audits/calendar.ts'
import { findingCounts, liveActions } from '../../services/findings/queries.ts'
import { findingWords } from '../findings/labels.ts'

const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', async (request, reply) => {
    const scope = scopeOf(request)
    const work = scope.role === 'auditor' || scope.role === 'moderator' ? moderationWork(app.db, scope) : null
    const today = todayIso()
    return reply.render('home/index', {
      ...homeSummary(app.db, scope),
      moderation: work && { toMark: work.toMark.length, toResolve: work.toResolve.length },
      findings: findingCounts(app.db, scope, today),
      liveActions: liveActions(app.db, scope, today),
      fw: findingWords,
    })
  })
}
export default homeRoutes
