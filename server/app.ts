import Fastify, { type FastifyInstance } from 'fastify'
import type { Config } from './config.ts'
import type { Db } from '../schema/database.ts'
import type { Role } from '../schema/index.ts'
import dbPlugin from './plugins/db.ts'
import securityPlugin from './plugins/security.ts'
import underPressure from '@fastify/under-pressure'
import assetsPlugin from './plugins/assets.ts'
import viewsPlugin from './plugins/views.ts'
import authPlugin from './plugins/auth.ts'
import errorsPlugin from './plugins/errors.ts'
import { SignInThrottle } from './routes/auth/throttle.ts'
import healthRoutes from './routes/health/index.ts'
import authRoutes from './routes/auth/index.ts'
import aboutRoutes from './routes/about/index.ts'
import homeRoutes from './routes/home/index.ts'
import adminRoutes from './routes/admin/index.ts'
import roundsRoutes from './routes/rounds/index.ts'
import populationRoutes from './routes/population/index.ts'
import reviewRoutes from './routes/review/index.ts'
import scoresRoutes from './routes/scores/index.ts'
import findingsRoutes from './routes/findings/index.ts'

export interface RouteEntry {
  method: string
  url: string
  /** As the route declares it: 'public', the roles allowed, or undefined for any signed-in user. */
  access: 'public' | readonly Role[] | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    signInThrottle: SignInThrottle
    routeTable: readonly RouteEntry[]
  }
}

export interface AppOptions {
  config: Config
  db: Db
  jwtSecret: string
  /** Close the database when the app closes (main does; tests that share one may not). */
  closeDb?: boolean
  /** Overload thresholds; tests lower them to provoke a 503. */
  pressure?: { maxEventLoopDelay: number; sampleInterval: number }
}

/** Builds the whole application without listening, so tests can drive it with inject(). */
export async function buildApp({ config, db, jwtSecret, closeDb = true, pressure: pressureOption }: AppOptions): Promise<FastifyInstance> {
  const production = config.env === 'production'
  // Off under NODE_ENV=test unless a test asks for it: a test run saturates a shared machine on
  // purpose, and a 503 there would be noise, not a finding (0 disables the check).
  const pressure = pressureOption ?? { maxEventLoopDelay: config.env === 'test' ? 0 : 1000, sampleInterval: 500 }
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    },
    bodyLimit: 1024 * 1024,
    // Errors the router raises before any route or hook (a malformed or over-long address).
    frameworkErrors: (error, request, reply) => request.server.frameworkError(error, request, reply),
    // A hop count as fastify applies it (its types take only a function for that).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
  })

  // Every route as registered, with who may open it: the access matrix and fuzz tests are
  // generated from this, so a new route is covered (or fails for want of an expectation) by default.
  const routeTable: RouteEntry[] = []
  app.decorate('routeTable', routeTable)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue
      routeTable.push({ method, url: route.url, access: route.config?.access })
    }
  })

  await app.register(dbPlugin, { db, closeOnShutdown: closeDb })
  await app.register(securityPlugin, { secureCookie: production })
  // When the event loop lags a second on average (not merely busy: a fully used but responsive loop
  // is fine), new requests get a quick 503 with Retry-After (the app's own
  // page, via the error handler) instead of queueing until every request times out.
  await app.register(underPressure, {
    maxEventLoopDelay: pressure.maxEventLoopDelay,
    sampleInterval: pressure.sampleInterval,
    pressureHandler: (_request, reply, _type, value) => {
      // "Infinity" means the histogram recorded no sample in the interval, which on a busy machine
      // happens under ordinary load too: only a measured delay counts as overload.
      if (value === Infinity) return undefined
      reply.header('Retry-After', '10')
      return Promise.reject(Object.assign(new Error('the event loop is saturated'), { statusCode: 503, code: 'FST_UNDER_PRESSURE' }))
    },
  })
  await app.register(assetsPlugin, { cache: production })
  await app.register(viewsPlugin, { cache: production, secureCookie: production })
  await app.register(authPlugin, { secret: jwtSecret, secureCookie: production })
  await app.register(errorsPlugin)

  // Shared by sign-in (which counts failures) and user admin (which can unlock an account).
  app.decorate('signInThrottle', new SignInThrottle())
  await app.register(healthRoutes)
  await app.register(authRoutes)
  await app.register(homeRoutes)
  await app.register(aboutRoutes)
  await app.register(adminRoutes, { prefix: '/admin' })
  await app.register(roundsRoutes)
  await app.register(populationRoutes, { uploadLimitBytes: config.uploadLimitBytes })
  await app.register(reviewRoutes)
  await app.register(scoresRoutes)
  await app.register(findingsRoutes)
  return app
}

function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops
}
