import Fastify, { type FastifyInstance } from 'fastify'
import compress from '@fastify/compress'
import { constants as zlibConstants } from 'node:zlib'
import type { Config } from './config.ts'
import type { Db } from '../schema/database.ts'
import dbPlugin from './plugins/db.ts'
import securityPlugin from './plugins/security.ts'
import underPressure from '@fastify/under-pressure'
import assetsPlugin from './plugins/assets.ts'
import viewsPlugin from './plugins/views.ts'
import authPlugin from './plugins/auth.ts'
import errorsPlugin from './plugins/errors.ts'
import { accessFor, type Access } from './access.ts'
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
import moderationRoutes from './routes/moderation/index.ts'
import findingsRoutes from './routes/findings/index.ts'
import reconciliationRoutes from './routes/reconciliation/index.ts'
import advocateRoutes from './routes/advocate/index.ts'

/** Chosen by measurement: see the compression note in bench/README.md. */
export const PAGE_BROTLI_QUALITY = 3
export const PAGE_GZIP_LEVEL = 3

export interface RouteEntry {
  method: string
  url: string
  /** From the access table: 'public', the roles allowed, or undefined when it has no entry. */
  access: Access | undefined
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

export interface RegisteredRoute {
  method: string
  url: string
}

const ROUTES = 'registeredRoutes'

/** Every route the app registered, as `accessFor` is asked about it. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return (app as unknown as Record<typeof ROUTES, RegisteredRoute[]>)[ROUTES]
}

/** Builds the whole application without listening, so tests can drive it with inject(). */
export async function buildApp({
  config,
  db,
  jwtSecret,
  closeDb = true,
  pressure: pressureOption,
}: AppOptions): Promise<FastifyInstance> {
  const production = config.env === 'production'
  // Off under NODE_ENV=test unless a test asks for it: a test run saturates a shared machine on
  // purpose, and a 503 there would be noise, not a finding (0 disables the check).
  const pressure = pressureOption ?? { maxEventLoopDelay: config.env === 'test' ? 0 : 1000, sampleInterval: 500 }
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
    },
    bodyLimit: 1024 * 1024,
    // Errors the router raises before any route or hook (a malformed or over-long address).
    frameworkErrors: (error, request, reply) => request.server.frameworkError(error, request, reply),
    // A hop count as fastify applies it (its types take only a function for that).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
  })

  // Before anything registers a route: each takes its access policy from the one table
  // (server/access.ts), and is listed so tests can check that none is missing from it; the access
  // matrix and fuzz tests are generated from the list, so a new route is covered by default.
  const routes: RegisteredRoute[] = []
  const routeTable: RouteEntry[] = []
  app.decorate(ROUTES, routes)
  app.decorate('routeTable', routeTable)
  app.addHook('onRoute', (route) => {
    const method = ([] as string[]).concat(route.method).find((m) => m !== 'HEAD') ?? 'HEAD'
    const access = accessFor(method, route.url)
    routes.push({ method, url: route.url })
    route.config = { ...route.config, access }
    if (method !== 'HEAD') routeTable.push({ method, url: route.url, access })
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
      return Promise.reject(
        Object.assign(new Error('the event loop is saturated'), { statusCode: 503, code: 'FST_UNDER_PRESSURE' }),
      )
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
  await app.register(homeRoutes, { lettersSecret: jwtSecret })
  await app.register(aboutRoutes)
  await app.register(adminRoutes, { prefix: '/admin' })
  await app.register(roundsRoutes)
  await app.register(populationRoutes, { uploadLimitBytes: config.uploadLimitBytes })
  await app.register(reviewRoutes)
  await app.register(scoresRoutes)
  await app.register(moderationRoutes)
  await app.register(findingsRoutes)
  await app.register(reconciliationRoutes)
  await app.register(advocateRoutes)
  return app
}

function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops
}
