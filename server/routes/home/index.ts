import type { FastifyPluginAsync } from 'fastify'
import { scopeOf } from '../../plugins/auth.ts'
import { homeSummary } from './queries.ts'

const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', async (request, reply) => {
    const scope = scopeOf(request)
    return reply.render('home/index', homeSummary(app.db, scope))
  })
}
export default homeRoutes
