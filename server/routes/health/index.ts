import type { FastifyPluginAsync } from 'fastify'
import { sql } from 'drizzle-orm'

const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/health', { config: { access: 'public' } }, async (request, reply) => {
    try {
      app.db.get(sql`select 1`)
      return { status: 'ok' }
    } catch (err) {
      request.log.error({ err }, 'database did not answer the health check')
      return reply.code(503).send({ status: 'unavailable' })
    }
  })
}
export default healthRoutes
