import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'
import type { IncomingMessage, ServerResponse } from 'node:http'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import csrf from '@fastify/csrf-protection'
import rateLimit from '@fastify/rate-limit'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'manual' for routes that check the CSRF token themselves (multipart uploads). */
    csrf?: 'manual'
  }
}

const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/** Removes control characters from every string in a parsed body or query, in place. */
export function stripControls(value: unknown, depth = 0): void {
  if (!value || typeof value !== 'object' || depth > 5) return
  const record = value as Record<string, unknown>
  for (const key of Object.keys(record)) {
    const v = record[key]
    if (typeof v === 'string') {
      if (controls.test(v)) record[key] = v.replace(controls, '')
      controls.lastIndex = 0
    } else stripControls(v, depth + 1)
  }
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * The headers helmet sets for these options, worked out once. They are the same for every
 * request (the policy uses no nonces), and @fastify/helmet rebuilds helmet's middleware, parsing
 * the whole policy, on every request: a tenth of a signed-in request's time in the review benchmark.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value)
    },
    removeHeader() {},
  }
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err
  })
  return headers
}

export default fp(
  async (app, opts: { secureCookie: boolean }) => {
    const headers = securityHeaders({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          upgradeInsecureRequests: opts.secureCookie ? [] : null,
        },
      },
      strictTransportSecurity: opts.secureCookie,
    })
    app.decorate('securityHeaders', headers)
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers)
      done()
    })
    await app.register(cookie)
    await app.register(formbody, { bodyLimit: 1024 * 1024 })
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookie, signed: false },
      getToken: (req) => {
        const body = req.body as Record<string, unknown> | undefined
        const fromBody = body && typeof body === 'object' && typeof body._csrf === 'string' ? body._csrf : undefined
        const header = req.headers['x-csrf-token']
        return fromBody ?? (typeof header === 'string' ? header : undefined) ?? req.csrfTokenFromForm
      },
    })
    await app.register(rateLimit, { global: false })

    // Control characters (NUL, escape, bidi overrides aside) have no place in anything a person
    // types here: they are removed from every submitted value and query value before validation,
    // so they never reach the database, a page or an export. Tab and line breaks are kept.
    app.addHook('preValidation', (request, _reply, done) => {
      stripControls(request.body)
      stripControls(request.query)
      done()
    })

    // Every state-changing request carries the token, forms and htmx alike (htmx sends the header).
    app.addHook('preHandler', (request, reply, done) => {
      if (!unsafeMethods.has(request.method) || request.routeOptions.config?.csrf === 'manual') return done()
      app.csrfProtection(request, reply, done)
    })
  },
  { name: 'csrf' },
)

declare module 'fastify' {
  interface FastifyInstance {
    /** The headers every response carries (CSP, HSTS, frame and type options). */
    securityHeaders: Record<string, string>
  }
  interface FastifyRequest {
    /** Set by multipart routes once they have read the form's _csrf field. */
    csrfTokenFromForm?: string
  }
}
