// The accessibility statement and privacy notice every GOV.UK-style service publishes, linked
// from every page's footer and open to anyone, signed in or not.
import type { FastifyPluginAsync } from 'fastify'
import { SESSION_HOURS } from '../../plugins/auth.ts'

const aboutRoutes: FastifyPluginAsync = async (app) => {
  app.get('/accessibility', async (_request, reply) => reply.render('about/accessibility'))
  app.get('/privacy', async (_request, reply) => reply.render('about/privacy', { sessionHours: SESSION_HOURS }))
}

export default aboutRoutes
