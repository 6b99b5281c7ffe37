import fp from 'fastify-plugin'
import jwt from '@fastify/jwt'
import { eq, sql } from 'drizzle-orm'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { users } from '../../schema/index.ts'
import type { Access } from '../access.ts'
import type { Scope } from '../scope.ts'
import { userColumns } from '../user-columns.ts'
import type { Queryable } from '../../schema/database.ts'
import { sendNotFound } from './errors.ts'

export const SESSION_COOKIE = 'qaf_session'
export const SESSION_HOURS = 8
/** A session nobody has used for this long is over (sliding: every request moves it on). */
export const IDLE_MINUTES = 30
// The token is re-issued with a new "seen" time at most this often, not on every request.
const REFRESH_AFTER_SECONDS = 60

/**
 * What a session token carries: who, which session version of theirs it belongs to (raising the
 * user's version ends every older token), when it was last used (idle limit) and when it ends
 * (absolute limit, fixed at sign-in and kept when the token is re-issued).
 */
export interface SessionClaims {
  sub: string
  sv: number
  seen: number
  exp: number
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user's scope, or null when signed out. */
    scope: Scope | null
  }
  interface FastifyContextConfig {
    /** Set from server/access.ts for every route as it registers; never written by a route. */
    access?: Access
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: SessionClaims
  }
}

/**
 * Ends every session the person has, on every device: their tokens carry the old version. Used on
 * sign-out, password reset, disable and a change of role or agency (what a token may open).
 */
export function endAllSessions(db: Queryable, userId: number): void {
  db.update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .run()
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
      // Every request verifies its session token: keep verified tokens (fast-jwt's LRU, hashed
      // keys) so each is checked by HMAC once, not on every request. Expiry still applies: an
      // entry lives no longer than its token.
      verify: { cache: 2000, cacheTTL: 10 * 60_000 },
    })

    app.decorateRequest('scope', null)

    // Prepared once: this runs on every request.
    const findUser = app.db
      .select({ ...userColumns, sessionVersion: users.sessionVersion })
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .prepare()

    const setSessionCookie = (reply: FastifyReply, claims: SessionClaims) =>
      reply.setCookie(SESSION_COOKIE, app.jwt.sign(claims), {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secureCookie,
        // From the claims' own clock, so a second ticking over between signing and here changes nothing.
        maxAge: Math.max(0, claims.exp - claims.seen),
      })

    // Who is asking: a tampered, expired, idle or superseded cookie simply means "signed out".
    // app.jwt.verify reuses one verifier (request.jwtVerify with options would build a new one per
    // request). The verifier caches tokens it has checked, so everything that can end a session
    // early (version, idle time, disabled) is checked here, against the user row, on every request.
    app.addHook('onRequest', async (request, reply) => {
      // Stylesheets, scripts, fonts and images are public and the same for everyone: the browser
      // sends the cookie with each, but no one needs to know who asked.
      if (request.url.startsWith('/assets/')) return
      const token = request.cookies[SESSION_COOKIE]
      if (!token) return
      let claims: SessionClaims
      try {
        claims = app.jwt.verify<SessionClaims>(token)
      } catch {
        return
      }
      const id = Number(claims.sub)
      if (!Number.isInteger(id) || !Number.isInteger(claims.sv) || !Number.isInteger(claims.seen)) return
      const now = nowSeconds()
      if (now - claims.seen > IDLE_MINUTES * 60 || claims.exp <= now) return
      const user = findUser.get({ id })
      if (!user || user.disabled || user.sessionVersion !== claims.sv) return
      request.scope = {
        userId: user.id,
        email: user.email,
        displayName: user.displayName,
        role: user.role,
        agencyId: user.agencyId,
      }
      if (now - claims.seen >= REFRESH_AFTER_SECONDS && !request.url.startsWith('/assets/'))
        setSessionCookie(reply, { ...claims, seen: now })
    })

    // The one guard: signed-out visitors go to sign in; a role that may not see a page gets 404.
    app.addHook('onRequest', async (request, reply) => {
      const access = request.routeOptions.config?.access
      if (access === 'public') return
      if (!request.scope) return redirectToSignIn(request, reply)
      if (request.is404) return
      // A route missing from the access table is refused to everyone rather than open to all.
      if (!access?.includes(request.scope.role)) return sendNotFound(reply)
    })

    app.decorate('sessionToken', (user: { id: number; sessionVersion: number }) => {
      const now = nowSeconds()
      return app.jwt.sign({ sub: String(user.id), sv: user.sessionVersion, seen: now, exp: now + SESSION_HOURS * 3600 })
    })
    app.decorateReply('startSession', function (this: FastifyReply, user: { id: number; sessionVersion: number }) {
      const now = nowSeconds()
      return setSessionCookie(this, {
        sub: String(user.id),
        sv: user.sessionVersion,
        seen: now,
        exp: now + SESSION_HOURS * 3600,
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
    /** Signs the person in on this browser, with the session version their row holds now. */
    startSession(user: { id: number; sessionVersion: number }): FastifyReply
    endSession(): FastifyReply
  }
  interface FastifyInstance {
    /** A session token as sign-in would issue it (benchmarks and tests sign in without the form). */
    sessionToken(user: { id: number; sessionVersion: number }): string
  }
}

// Date.now, not a cached clock, so tests can move time on.
const nowSeconds = () => Math.floor(Date.now() / 1000)

function redirectToSignIn(request: FastifyRequest, reply: FastifyReply) {
  const next = request.method === 'GET' && request.url !== '/' ? `?next=${encodeURIComponent(request.url)}` : ''
  const target = `/sign-in${next}`
  // htmx follows a 3xx inside the swap; HX-Redirect makes it load the sign-in page instead.
  if (request.headers['hx-request'] === 'true') return reply.header('HX-Redirect', target).code(204).send()
  return reply.redirect(target, 303)
}
