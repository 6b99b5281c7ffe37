import fp from 'fastify-plugin'
import { helpers } from '../view-helpers.ts'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

const titles: Record<number, string> = {
  400: 'There is a problem with what was sent',
  403: 'This form has expired',
  404: 'Page not found',
  413: 'The file is too large',
  414: 'The web address is too long',
  415: 'That type of content cannot be sent here',
  429: 'Too many requests',
  500: 'Sorry, there is a problem with the service',
  503: 'The service is busy',
}

// What a person is told. Thrown errors come from the framework and its plugins (parsers, CSRF,
// limits), whose own words ("Body is not valid JSON", "Unsupported Media Type") mean nothing to
// the person and name our internals; routes answer their own refusals with their own pages.
const messages: Record<number, string> = {
  400: 'What was sent could not be read. Go back, reload the page and try again.',
  403: 'Go back, reload the page and try again.',
  405: 'That cannot be done on this page. Go back and use the page’s own links and buttons.',
  413: 'What was sent is larger than this page accepts.',
  414: 'Check the web address, or go to the home page.',
  415: 'This page accepts only its own form. Go back, reload the page and try again.',
  429: 'Wait a minute, then try again.',
}

/** The one "not found" answer: also what a role gets for a page it may not see, so it reveals nothing. */
export function sendNotFound(reply: FastifyReply): FastifyReply {
  return reply.render('errors/error', { status: 404, title: titles[404] }, { status: 404 })
}

export default fp(
  async (app) => {
    app.setNotFoundHandler((_request, reply) => sendNotFound(reply))

    const sendError = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500
      if (status === 503) {
        // Overload: one line each, not a stack trace, while the service is already struggling.
        request.log.warn({ code: error.code, url: request.url.split('?')[0] }, 'refused under pressure')
      } else if (status >= 500) {
        request.log.error({ err: error, method: request.method, url: request.url.split('?')[0] }, 'request failed')
      } else {
        request.log.info({ code: error.code, status, url: request.url.split('?')[0] }, 'request refused')
      }
      if (status === 404) return sendNotFound(reply)
      const message = status >= 500 ? null : (messages[status] ?? messages[400])
      return reply.render('errors/error', { status, title: titles[status] ?? titles[400], message }, { status })
    }

    // Client errors explain themselves and never show as 500; server errors are logged, not shown.
    app.setErrorHandler(sendError)

    // A bad or over-long address is refused by the router before any hook has run, so the
    // security headers and cookies are put in place here before the same page is rendered.
    // The reply here is fastify's plain one (no render, no cookies): the page is rendered directly,
    // as for a signed-out visitor, since the request never reached the session check.
    app.decorate('frameworkError', (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode === 414 ? 414 : 400
      request.log.info({ code: error.code, status }, 'request refused')
      const html = app.eta.render('errors/error', {
        status,
        title: titles[status],
        message: messages[status],
        h: helpers,
        user: null,
        roleLabel: null,
        nav: [],
        csrfToken: '',
        path: '/',
      })
      return reply
        .headers(app.securityHeaders)
        .header('Cache-Control', 'no-store')
        .code(status)
        .type('text/html; charset=utf-8')
        .send(html)
    })
  },
  { name: 'errors', dependencies: ['views'] },
)

declare module 'fastify' {
  interface FastifyInstance {
    frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply
  }
}
