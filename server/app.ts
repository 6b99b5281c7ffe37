import Fastify, { type FastifyInstance } from 'fastify'
import compress from '@fastify/compress'
import { constants as zlibConstants } from 'node:zlib'
import type { Config } from './config.ts'
import type { Db } from '../schema/database.ts'
import dbPlugin from './plugins/db.ts'
import securityPlugin from './plugins/security.ts'
import assetsPlugin from './plugins/assets.ts'
import viewsPlugin from './plugins/views.ts'
import authPlugin from './plugins/auth.ts'
import errorsPlugin from './plugins/errors.ts'
import healthRoutes from './routes/health/index.ts'
import authRoutes from './routes/auth/index.ts'
import aboutRoutes from './routes/about/index.ts'
import homeRoutes from './routes/home/index.ts'
import adminRoutes from './routes/admin/index.ts'
import roundsRoutes from './routes/rounds/index.ts'
import populationRoutes from './routes/population/index.ts'
import reviewRoutes from './routes/review/index.ts'
import scoresRoutes from './routes/scores/index.ts'
import moderationRoutes from './routes/moderation/index.ts'
import findingsRoutes from './routes/findings/index.ts'

/** Chosen by measurement: see the compression note in bench/README.md. */
export const PAGE_BROTLI_QUALITY = 3
export const PAGE_GZIP_LEVEL = 3

export interface AppOptions {
  config: Config
  db: Db
  jwtSecret: string
  /** Close the database when the app closes (main does; tests that share one may not). */
  closeDb?: boolean
}

/** Builds the whole application without listening, so tests can drive it with inject(). */
export async function buildApp({ config, db, jwtSecret, closeDb = true }: AppOptions): Promise<FastifyInstance> {
  const production = config.env === 'production'
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    },
    bodyLimit: 1024 * 1024,
    trustProxy: production,
  })

  await app.register(dbPlugin, { db, closeOnShutdown: closeDb })
  // Pages compressed for browsers that accept it. Brotli quality 3 was chosen by measurement
  // (bench/README.md): a 330 KB case page becomes about 25 KB in 1.6 ms, where quality 4 saves
  // 2 KB more for a millisecond more and quality 5 and up cost 3-7 times as much. Below 1 KB
  // compressing is not worth its cost. Page assets carry their own stored encodings (assets.ts).
  await app.register(compress, {
    global: true,
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: PAGE_BROTLI_QUALITY } },
    zlibOptions: { level: PAGE_GZIP_LEVEL },
  })
  await app.register(securityPlugin, { secureCookie: production })
  await app.register(assetsPlugin, { cache: production })
  await app.register(viewsPlugin, { cache: production, secureCookie: production })
  await app.register(authPlugin, { secret: jwtSecret, secureCookie: production })
  await app.register(errorsPlugin)

  await app.register(healthRoutes)
  await app.register(authRoutes)
  await app.register(homeRoutes)
  await app.register(aboutRoutes)
  await app.register(adminRoutes, { prefix: '/admin' })
  await app.register(roundsRoutes)
  await app.register(populationRoutes, { uploadLimitBytes: config.uploadLimitBytes })
  await app.register(reviewRoutes)
  await app.register(scoresRoutes)
  await app.register(moderationRoutes)
  await app.register(findingsRoutes)
  return app
}
