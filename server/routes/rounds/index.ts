import type { FastifyPluginAsync } from 'fastify'

const roundsRoutes: FastifyPluginAsync = async () => {}
export default roundsRoutes
