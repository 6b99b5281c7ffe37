import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply } from 'fastify'

const titles: Record<number, string> = {
  400: 'There is a problem with what was sent',
  403: 'This form has expired',
  404: 'Page not found',
  413: 'The file is too large',
  415: 'That type of content cannot be sent here',
  429: 'Too many requests',
  500: 'Sorry, there is a problem with the service',
}

/** The one "not found" answer: also what a role gets for a page it may not see, so it reveals nothing. */
export function sendNotFound(reply: FastifyReply): FastifyReply {
  return reply.render('errors/error', { status: 404, title: titles[404] }, { status: 404 })
}

export default fp(
  async (app) => {
    app.setNotFoundHandler((_request, reply) => sendNotFound(reply))

    // Client errors explain themselves and never show as 500; server errors are logged, not shown.
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
      if (status >= 500) {
        request.log.error({ err: error, method: request.method, url: request.url.split('?')[0] }, 'request failed')
      } else {
        request.log.info({ code: error.code, status, url: request.url.split('?')[0] }, 'request refused')
      }
      const csrfFailure = error.code?.startsWith('FST_CSRF')
      const message = status >= 500 ? null : csrfFailure ? 'Go back, reload the page and try again.' : error.message
      reply.render('errors/error', { status, title: titles[status] ?? titles[400], message }, { status })
    })
  },
  { name: 'errors', dependencies: ['views'] },
)
