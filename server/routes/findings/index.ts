// Findings and their actions: raised from a score by a moderator or admin (proposed by the
// Victims' Advocate), answered by the agency, tracked to closure. Auditors see none of it; an
// agency user sees only their own agency's findings once issued, and 404 for anything else.
// Raising one is new-finding.ts, an action's own page action-routes.ts.
import { CSV_TYPE, XLSX_TYPE, sendDownload } from '../../downloads.ts'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { todayIso } from '../../../audits/calendar.ts'
import {
  canAddAction,
  checkFindingMove,
  findingMoves,
  findingStatuses,
  initialStatus,
  movesFor,
  type FindingStatus,
} from '../../../audits/findings.ts'
import { isPublished } from '../../access.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { formError, noErrors, parseForm, submittedValues } from '../../forms.ts'
import type { Scope } from '../../scope.ts'
import { wording } from '../../services/scores/figures.ts'
import { findingWords } from './labels.ts'
import { findingsCsv, findingsXlsx } from './exports.ts'
import { actorFor } from '../../services/findings/visibility.ts'
import { exportRows, getFinding, listFindings } from '../../services/findings/finding-queries.ts'
import { actionsOf, unclosedActions } from '../../services/findings/action-queries.ts'
import { findingCounts } from '../../services/findings/navigation-counts.ts'
import { addAction, moveFinding } from '../../services/findings/writes.ts'
import { carryForwardFor } from '../../services/findings/evidence.ts'
import { actionSchema, dateFrom, moveSchema } from './forms.ts'
import { urlRecord } from '../url-record.ts'
import newFindingRoutes from './new-finding.ts'
import actionRoutes from './action-routes.ts'
import { listObservations } from '../../services/advocate/observations.ts'

const findingsRoutes: FastifyPluginAsync = async (app) => {
  const db = app.db
  await app.register(newFindingRoutes)
  await app.register(actionRoutes)

  /** The finding in the URL if the user may see it; otherwise the reply is a 404. */
  const finding = urlRecord((request, id) => getFinding(db, scopeOf(request), id))
  const loadFinding = finding.load()

  function renderFinding(
    reply: FastifyReply,
    scope: Scope,
    id: number,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const f = getFinding(db, scope, id)
    if (!f) return sendNotFound(reply)
    const actor = actorFor(scope, f.agencyId)
    const today = todayIso()
    return reply.render(
      'findings/show',
      {
        finding: f,
        actions: actionsOf(db, scope, f.id, today),
        carry: carryForwardFor(db, scope, f),
        // The Victims' Advocate's observations behind it, those this user may read.
        observations: listObservations(db, scope, { findingId: f.id }),
        // Each move offered, with what stops it now (closing over open actions, issuing a provisional round).
        moves: movesFor(actor, f.status).map((m) => {
          const d = checkFindingMove(actor, f.status, m.to, {
            unclosedActions: unclosedActions(db, f.id),
            roundPublished: isPublished(f.roundStatus),
          })
          return { ...m, blocked: d.ok ? null : d.problem }
        }),
        canAdd: canAddAction(actor, f.status),
        values: {},
        fw: findingWords,
        f: wording,
        ...extra,
      },
      { status },
    )
  }

  app.get('/findings', async (request, reply) => {
    const scope = scopeOf(request)
    const q = (request.query ?? {}) as Record<string, unknown>
    const status = (findingStatuses as readonly string[]).includes(String(q.status))
      ? (q.status as FindingStatus)
      : null
    const today = todayIso()
    return reply.render('findings/index', {
      findings: listFindings(db, scope, { status }),
      status,
      counts: findingCounts(db, scope, today),
      canRaise: initialStatus(actorFor(scope, null)) !== null,
      fw: findingWords,
    })
  })

  app.get('/findings/export.csv', async (request, reply) => {
    const rows = exportRows(db, scopeOf(request), todayIso())
    return sendDownload(reply, CSV_TYPE, 'findings-and-actions.csv', findingsCsv(rows))
  })

  app.get('/findings/export.xlsx', async (request, reply) => {
    const rows = exportRows(db, scopeOf(request), todayIso())
    return sendDownload(reply, XLSX_TYPE, 'findings-and-actions.xlsx', await findingsXlsx(rows))
  })

  app.get('/findings/:id', { preHandler: loadFinding }, async (request, reply) =>
    renderFinding(reply, scopeOf(request), finding.of(request).id),
  )

  app.post('/findings/:id/status', { preHandler: loadFinding }, async (request, reply) => {
    const scope = scopeOf(request)
    const f = finding.of(request)
    const form = parseForm(moveSchema, request.body)
    if (!form.ok) return renderFinding(reply, scope, f.id, { errors: form.errors }, 400)
    const published = isPublished(f.roundStatus)
    const decision = checkFindingMove(actorFor(scope, f.agencyId), f.status, form.data.to, {
      unclosedActions: unclosedActions(db, f.id),
      roundPublished: published,
    })
    if (!decision.ok) {
      // A move this user could never make (an agency closing, another agency responding) is
      // refused as if nothing were there; a move out of turn is explained.
      const actor = actorFor(scope, f.agencyId)
      const ever = findingMoves.some((m) => m.to === form.data.to && movesFor(actor, m.from).includes(m))
      if (!ever) return sendNotFound(reply)
      return renderFinding(reply, scope, f.id, { errors: formError(decision.problem, `move-${form.data.to}`) }, 409)
    }
    const needs = decision.move.needs
    if (needs && form.data.text === '') {
      const message = needs === 'response' ? 'Enter your response to the finding' : 'Enter the reason'
      return renderFinding(
        reply,
        scope,
        f.id,
        { errors: formError(message, `text-${form.data.to}`), values: submittedValues(request.body) },
        400,
      )
    }
    moveFinding(db, scope, f.id, form.data.to, needs ? form.data.text : null)
    reply.flash(`${decision.move.label}: done`)
    return reply.redirect(`/findings/${f.id}`, 303)
  })

  app.post('/findings/:id/actions', { preHandler: loadFinding }, async (request, reply) => {
    const scope = scopeOf(request)
    const f = finding.of(request)
    if (!canAddAction(actorFor(scope, f.agencyId), f.status)) return sendNotFound(reply)
    const form = parseForm(actionSchema, request.body)
    const errors = form.ok ? noErrors() : form.errors
    const due = dateFrom(request.body, 'due', 'The due date', errors)
    if (!form.ok || due === null || errors.summary.length > 0)
      return renderFinding(reply, scope, f.id, { errors, values: submittedValues(request.body) }, 400)
    addAction(db, scope, f, { description: form.data.description, dueDate: due })
    reply.flash('Action added')
    return reply.redirect(`/findings/${f.id}#actions`, 303)
  })
}

export default findingsRoutes
