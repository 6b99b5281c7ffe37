import fp from 'fastify-plugin'
import jwt from '@fastify/jwt'
import { eq, sql } from 'drizzle-orm'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { users, type Role } from '../../schema/index.ts'
import type { Scope } from '../scope.ts'
import { sendNotFound } from './errors.ts'

export const SESSION_COOKIE = 'qaf_session'
export const SESSION_HOURS = 8

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user's scope, or null when signed out. */
    scope: Scope | null
  }
  interface FastifyContextConfig {
    /** 'public' for pages anyone may open; otherwise the roles allowed (default: any signed-in user). */
    access?: 'public' | readonly Role[]
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string }
  }
}

/** The scope of a request that passed the guard; routes behind the guard may rely on it. */
export function scopeOf(request: FastifyRequest): Scope {
  if (!request.scope) throw new Error('route reached without a signed-in user: the guard should have stopped it')
  return request.scope
}

export default fp(
  async (app, opts: { secret: string; secureCookie: boolean }) => {
    await app.register(jwt, {
      secret: opts.secret,
      cookie: { cookieName: SESSION_COOKIE, signed: false },
      sign: { expiresIn: `${SESSION_HOURS}h` },
      // Every request verifies its session token: keep verified tokens (fast-jwt's LRU, hashed
      // keys) so each is checked by HMAC once, not on every request. Expiry still applies: an
      // entry lives no longer than its token.
      verify: { cache: 2000, cacheTTL: 10 * 60_000 },
    })

    app.decorateRequest('scope', null)

    // Prepared once: this runs on every request.
    const findUser = app.db
      .select({ id: users.id, email: users.email, displayName: users.displayName, role: users.role, agencyId: users.agencyId, disabled: users.disabled })
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .prepare()

    // Who is asking: a tampered, expired or stale cookie simply means "signed out". app.jwt.verify
    // reuses one verifier (request.jwtVerify with options would build a new one per request).
    app.addHook('onRequest', async (request) => {
      // Stylesheets, scripts, fonts and images are public and the same for everyone: the browser
      // sends the cookie with each, but no one needs to know who asked.
      if (request.url.startsWith('/assets/')) return
      const token = request.cookies[SESSION_COOKIE]
      if (!token) return
      let payload: { sub: string }
      try {
        payload = app.jwt.verify<{ sub: string }>(token)
      } catch {
        return
      }
      const id = Number(payload.sub)
      if (!Number.isInteger(id)) return
      const user = findUser.get({ id })
      if (!user || user.disabled) return
      request.scope = { userId: user.id, email: user.email, displayName: user.displayName, role: user.role, agencyId: user.agencyId }
    })

    // The one guard: signed-out visitors go to sign in; a role that may not see a page gets 404.
    app.addHook('onRequest', async (request, reply) => {
      const access = request.routeOptions.config?.access
      if (access === 'public' || request.url.startsWith('/assets/')) return
      if (!request.scope) return redirectToSignIn(request, reply)
      if (request.is404) return
      if (access && !access.includes(request.scope.role)) return sendNotFound(reply)
    })

    app.decorateReply('startSession', function (this: FastifyReply, userId: number) {
      const token = app.jwt.sign({ sub: String(userId) })
      return this.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secureCookie,
        maxAge: SESSION_HOURS * 3600,
      })
    })
    app.decorateReply('endSession', function (this: FastifyReply) {
      return this.clearCookie(SESSION_COOKIE, { path: '/' })
    })
  },
  { name: 'auth', dependencies: ['db'] },
)

declare module 'fastify' {
  interface FastifyReply {
    startSession(userId: number): FastifyReply
    endSession(): FastifyReply
  }
}

function redirectToSignIn(request: FastifyRequest, reply: FastifyReply) {
  const next = request.method === 'GET' && request.url !== '/' ? `?next=${encodeURIComponent(request.url)}` : ''
  const target = `/sign-in${next}`
  // htmx follows a 3xx inside the swap; HX-Redirect makes it load the sign-in page instead.
  if (request.headers['hx-request'] === 'true') return reply.header('HX-Redirect', target).code(204).send()
  return reply.redirect(target, 303)
}
