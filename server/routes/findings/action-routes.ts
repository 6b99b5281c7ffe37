// An action's own page: recording progress on it (the agency) and closing it (a moderator or
// admin). Actions are added from the finding's page.
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { todayIso } from '../../../audits/calendar.ts'
import { canRecordProgress, checkCloseAction, progressStatuses } from '../../../audits/findings.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { addError, formError, noErrors, parseForm, submittedValues } from '../../forms.ts'
import type { Scope } from '../../scope.ts'
import { findingWords } from './labels.ts'
import { actorFor } from '../../services/findings/visibility.ts'
import { getAction } from '../../services/findings/action-queries.ts'
import { getFinding } from '../../services/findings/finding-queries.ts'
import { closeAction, recordProgress } from '../../services/findings/writes.ts'
import { dateFrom, progressSchema } from './forms.ts'
import { urlRecord } from '../url-record.ts'

const actionRoutes: FastifyPluginAsync = async (app) => {
  const db = app.db

  /** The action in the URL if the user may see it; otherwise the reply is a 404. */
  const action = urlRecord((request, id) => getAction(db, scopeOf(request), id, todayIso()))
  const loadAction = action.load()

  function renderAction(
    reply: FastifyReply,
    scope: Scope,
    id: number,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const a = getAction(db, scope, id, todayIso())
    if (!a) return sendNotFound(reply)
    const f = getFinding(db, scope, a.findingId)
    if (!f) return sendNotFound(reply)
    const actor = actorFor(scope, f.agencyId)
    return reply.render(
      'findings/action',
      {
        action: a,
        finding: f,
        canProgress: canRecordProgress(actor, f.status, a.status),
        canClose: checkCloseAction(actor, a.status).ok,
        statusOptions: progressStatuses.map((s) => ({ value: s, text: findingWords.actionStatusLabels[s] })),
        today: todayIso(),
        values: { status: a.status },
        fw: findingWords,
        ...extra,
      },
      { status },
    )
  }

  app.get('/findings/actions/:id', { preHandler: loadAction }, async (request, reply) =>
    renderAction(reply, scopeOf(request), action.of(request).id),
  )

  app.post('/findings/actions/:id/progress', { preHandler: loadAction }, async (request, reply) => {
    const scope = scopeOf(request)
    const a = action.of(request)
    const f = getFinding(db, scope, a.findingId)
    if (!f || !canRecordProgress(actorFor(scope, f.agencyId), f.status, a.status)) return sendNotFound(reply)
    const form = parseForm(progressSchema, request.body)
    const errors = form.ok ? noErrors() : form.errors
    const on = dateFrom(request.body, 'on', 'The date of the progress', errors)
    if (on !== null && on > todayIso()) addError(errors, 'on', 'The date of the progress must be today or in the past')
    if (!form.ok || on === null || errors.summary.length > 0)
      return renderAction(reply, scope, a.id, { errors, values: submittedValues(request.body) }, 400)
    recordProgress(db, scope, a.id, {
      on,
      note: form.data.note,
      status: form.data.status as 'open' | 'in_progress' | 'done',
    })
    reply.flash('Progress recorded')
    return reply.redirect(`/findings/actions/${a.id}`, 303)
  })

  app.post('/findings/actions/:id/close', { preHandler: loadAction }, async (request, reply) => {
    const scope = scopeOf(request)
    const a = action.of(request)
    const f = getFinding(db, scope, a.findingId)
    if (!f) return sendNotFound(reply)
    const check = checkCloseAction(actorFor(scope, f.agencyId), a.status)
    if (!check.ok) {
      if (scope.role === 'agency') return sendNotFound(reply)
      return renderAction(reply, scope, a.id, { errors: formError(check.problem, 'close') }, 409)
    }
    closeAction(db, scope, a.id)
    reply.flash('Action closed')
    return reply.redirect(`/findings/${f.id}#actions`, 303)
  })
}

export default actionRoutes
