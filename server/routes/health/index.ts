import type { FastifyPluginAsync } from 'fastify'

const healthRoutes: FastifyPluginAsync = async (app) => {
  // Raw prepared statement, once: a ping touching no table, which load balancers and monitors call often.
  const ping = app.db.$client.prepare('SELECT 1')
  app.get('/health', async (request, reply) => {
    try {
      ping.get()
      return { status: 'ok' }
    } catch (err) {
      request.log.error({ err }, 'database did not answer the health check')
      return reply.code(503).send({ status: 'unavailable' })
    }
  })
}
export default healthRoutes
