import fp from 'fastify-plugin'
import { Eta } from 'eta'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { helpers } from '../view-helpers.ts'
import { navigationFor } from '../navigation.ts'
import { agencyTypeLabels, roleLabels, roundStatusLabels } from '../labels.ts'

const viewsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'views')

export interface RenderOptions {
  /** Template to send instead of the page when htmx asks for a fragment. */
  fragment?: string
  status?: number
}

declare module 'fastify' {
  interface FastifyReply {
    /** Full page normally; the fragment for htmx requests (the same URL serves both). */
    render(template: string, data?: Record<string, unknown>, options?: RenderOptions): FastifyReply
  }
  interface FastifyInstance {
    eta: Eta
  }
}

/** htmx asks for a fragment, except when it boosts a link or restores history (those need pages). */
export function wantsFragment(request: FastifyRequest): boolean {
  const h = request.headers
  return h['hx-request'] === 'true' && h['hx-boosted'] !== 'true' && h['hx-history-restore-request'] !== 'true'
}

export default fp(
  async (app, opts: { cache: boolean }) => {
    const eta = new Eta({ views: viewsDir, cache: opts.cache, autoEscape: true, autoTrim: false })
    app.decorate('eta', eta)

    app.decorateReply('render', function (this: FastifyReply, template: string, data: Record<string, unknown> = {}, options: RenderOptions = {}) {
      const request = this.request
      const scope = request.scope
      const name = options.fragment && wantsFragment(request) ? options.fragment : template
      const html = eta.render(name, {
        ...data,
        h: helpers,
        roleLabels,
        agencyTypeLabels,
        roundStatusLabels,
        user: scope,
        roleLabel: scope ? roleLabels[scope.role] : null,
        nav: scope ? navigationFor(scope, request.url) : [],
        csrfToken: this.generateCsrf(),
        path: request.url,
      })
      return this.header('Vary', 'HX-Request')
        .header('Cache-Control', 'no-store')
        .code(options.status ?? this.statusCode ?? 200)
        .type('text/html; charset=utf-8')
        .send(html)
    })
  },
  { name: 'views', dependencies: ['csrf'] },
)
