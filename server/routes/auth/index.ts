import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { userByEmail } from '../../services/admin/users-queries.ts'
import { recordAudit } from '../../audit-log.ts'
import { verifyPassword } from '../../passwords.ts'
import { formError, parseForm } from '../../forms.ts'
import { endAllSessions } from '../../plugins/auth.ts'

const signInSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, { error: 'Enter your email address' }),
  password: z.string().min(1, { error: 'Enter your password' }),
  next: z.string().optional(),
})

const OWN_ORIGIN = 'http://qaf.invalid'

/**
 * Only a path on this site, so the sign-in form cannot bounce people elsewhere. Parsed the way a
 * browser would (which drops tabs and newlines, so "/\t/evil.example" means "//evil.example");
 * anything that resolves to another origin, or is not a path, goes home instead.
 */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith('/')) return '/'
  let url: URL
  try {
    url = new URL(next, OWN_ORIGIN)
  } catch {
    return '/'
  }
  if (url.origin !== OWN_ORIGIN) return '/'
  // Rebuilt from the parsed parts, so what goes into Location is encoded and holds no raw controls.
  const target = `${url.pathname}${url.search}${url.hash}`
  return target.startsWith('//') ? '/' : target
}

const GENERIC = 'Enter a correct email address and password'

const authRoutes: FastifyPluginAsync = async (app) => {
  const throttle = app.signInThrottle

  app.get('/sign-in', async (request, reply) => {
    if (request.scope) return reply.redirect('/', 303)
    const next = z.object({ next: z.string().optional() }).safeParse(request.query)
    return reply.render('auth/sign-in', { values: {}, next: next.success ? safeNext(next.data.next) : '/' })
  })

  app.post('/sign-in', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (request, reply) => {
    const form = parseForm(signInSchema, request.body)
    const values = {
      email:
        typeof (request.body as { email?: unknown })?.email === 'string'
          ? (request.body as { email: string }).email
          : '',
    }
    if (!form.ok) return reply.render('auth/sign-in', { errors: form.errors, values, next: '/' }, { status: 400 })
    const { email, password } = form.data
    const next = safeNext(form.data.next)

    const wait = throttle.waitSeconds(email, request.ip)
    if (wait > 0) {
      request.log.warn({ event: 'sign_in_throttled' }, 'too many failed sign-ins for one account')
      const minutes = Math.ceil(wait / 60)
      const errors = formError(
        `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
        'email',
      )
      return reply.render('auth/sign-in', { errors, values, next }, { status: 429 })
    }

    const user = userByEmail(app.db, email)
    const valid = (await verifyPassword(user?.passwordHash, password)) && user !== undefined && !user.disabled
    if (!valid || !user) {
      throttle.fail(email, request.ip)
      // What was typed is never logged: people type passwords into the e-mail box. A known account
      // is named by its id; an unknown one only as "unknown".
      recordAudit(app.db, {
        actor: null,
        action: 'sign_in_failed',
        entity: 'user',
        entityId: user?.id ?? null,
        after: { knownAccount: user !== undefined, ip: request.ip },
      })
      request.log.warn({ event: 'sign_in_failed' }, 'failed sign-in')
      return reply.render('auth/sign-in', { errors: formError(GENERIC, 'email'), values, next }, { status: 401 })
    }
    throttle.succeed(email, request.ip)
    recordAudit(app.db, {
      actor: { id: user.id, email: user.email },
      action: 'sign_in',
      entity: 'user',
      entityId: user.id,
      after: { ip: request.ip },
    })
    return reply.startSession(user).redirect(next, 303)
  })

  app.post('/sign-out', async (request, reply) => {
    if (request.scope) {
      // Signing out ends the person's sessions everywhere, not only this browser's: a copied or
      // forgotten cookie is worth nothing afterwards, and sessions are cheap to start again.
      endAllSessions(app.db, request.scope.userId)
      recordAudit(app.db, {
        actor: { id: request.scope.userId, email: request.scope.email },
        action: 'sign_out',
        entity: 'user',
        entityId: request.scope.userId,
      })
    }
    return reply.endSession().redirect('/sign-in', 303)
  })
}
export default authRoutes
