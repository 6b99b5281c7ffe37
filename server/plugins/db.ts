import fp from 'fastify-plugin'
import type { Db } from '../../schema/database.ts'
import { syncFrameworkItems } from '../framework-items.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
  }
}

export default fp(
  async (app, opts: { db: Db; closeOnShutdown: boolean }) => {
    syncFrameworkItems(opts.db)
    app.decorate('db', opts.db)
    if (opts.closeOnShutdown) app.addHook('onClose', async () => opts.db.$client.close())
  },
  { name: 'db' },
)
