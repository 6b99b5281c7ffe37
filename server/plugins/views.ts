import fp from 'fastify-plugin'
import { join } from 'node:path'
import { projectRoot } from '../project-root.ts'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { helpers } from '../view-helpers.ts'
import { navigationFor } from '../navigation.ts'
import { navigationCounts } from '../services/findings/navigation-counts.ts'
import { agencyTypeLabels, roleLabels, roundStatusLabels } from '../labels.ts'
import { errorSummaryInPageOrder } from '../error-order.ts'
import { ViewEngine } from '../view-engine.ts'

const viewsDir = join(projectRoot, 'views')

export interface RenderOptions {
  /** Template to send instead of the page when htmx asks for a fragment. */
  fragment?: string
  status?: number
}

const FLASH_COOKIE = 'qaf_flash'

declare module 'fastify' {
  interface FastifyReply {
    /** Full page normally; the fragment for htmx requests (the same URL serves both). */
    render(template: string, data?: Record<string, unknown>, options?: RenderOptions): FastifyReply
    /**
     * A success message for the next page shown (after the redirect), carried in a short-lived
     * cookie only the server sets, so nobody can put their own words in a banner through a link.
     */
    flash(message: string): FastifyReply
  }
  interface FastifyInstance {
    eta: ViewEngine
  }
}

/** The cookie's message, or nothing if it was altered into something that does not decode. */
function readFlash(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw).slice(0, 300)
  } catch {
    return undefined
  }
}

/** The error summary partial shows only when the data carries a summary to show. */
function hasErrorSummary(data: Record<string, unknown>): boolean {
  const errors = data.errors as { summary?: unknown[] } | undefined
  return Boolean(errors?.summary?.length)
}

/** htmx asks for a fragment, except when it boosts a link or restores history (those need pages). */
export function wantsFragment(request: FastifyRequest): boolean {
  const h = request.headers
  return h['hx-request'] === 'true' && h['hx-boosted'] !== 'true' && h['hx-history-restore-request'] !== 'true'
}

export default fp(
  async (app, opts: { cache: boolean; secureCookie: boolean }) => {
    const eta = new ViewEngine({ views: viewsDir, cache: opts.cache })
    app.decorate('eta', eta)

    app.decorateReply(
      'render',
      function (this: FastifyReply, template: string, data: Record<string, unknown> = {}, options: RenderOptions = {}) {
        const request = this.request
        const scope = request.scope
        const fragment = Boolean(options.fragment && wantsFragment(request))
        const name = fragment && options.fragment ? options.fragment : template
        const flash = fragment ? undefined : request.cookies[FLASH_COOKIE]
        if (flash !== undefined) this.clearCookie(FLASH_COOKIE, { path: '/' })
        const rendered = eta.render(name, {
          flash: flash ? readFlash(flash) : undefined,
          ...data,
          h: helpers,
          roleLabels,
          agencyTypeLabels,
          roundStatusLabels,
          user: scope,
          roleLabel: scope ? roleLabels[scope.role] : null,
          nav: scope ? navigationFor(scope, request.url, fragment ? {} : navigationCounts(app.db, scope)) : [],
          csrfToken: this.generateCsrf(),
          path: request.url,
        })
        // Asked of the data, not the markup: searching the page would flatten its string a second time.
        const html = hasErrorSummary(data) ? errorSummaryInPageOrder(rendered) : rendered
        // Encoded once here: sent as a string, a page of many small pieces is flattened once to
        // count its bytes and encoded again to write it (a fifth of a case page's time).
        return this.header('Vary', 'HX-Request')
          .header('Cache-Control', 'no-store')
          .code(options.status ?? this.statusCode ?? 200)
          .type('text/html; charset=utf-8')
          .send(Buffer.from(html))
      },
    )

    app.decorateReply('flash', function (this: FastifyReply, message: string) {
      return this.setCookie(FLASH_COOKIE, encodeURIComponent(message), {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secureCookie,
        maxAge: 60,
      })
    })
  },
  { name: 'views', dependencies: ['csrf'] },
)
