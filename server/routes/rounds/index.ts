// Audit rounds: set-up and lifecycle, the sample planner and draw, the sample itself and its
// allocation to auditors. Population import lives in ../population.
import type { FastifyPluginAsync } from 'fastify'
import roundPages from './round-pages.ts'
import lifecycleRoutes from './lifecycle.ts'
import plannerRoutes from './planner.ts'
import sampleRoutes from './sample.ts'
import allocationRoutes from './allocation.ts'

const roundsRoutes: FastifyPluginAsync = async (app) => {
  await app.register(roundPages)
  await app.register(lifecycleRoutes)
  await app.register(plannerRoutes)
  await app.register(sampleRoutes)
  await app.register(allocationRoutes)
}
export default roundsRoutes
