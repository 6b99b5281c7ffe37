import type { FastifyPluginAsync } from 'fastify'

const populationRoutes: FastifyPluginAsync = async () => {}
export default populationRoutes
