import type { FastifyPluginAsync } from 'fastify'

const reviewRoutes: FastifyPluginAsync = async () => {}
export default reviewRoutes
