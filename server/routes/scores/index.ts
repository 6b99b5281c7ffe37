import type { FastifyPluginAsync } from 'fastify'

const scoresRoutes: FastifyPluginAsync = async () => {}
export default scoresRoutes
