// Findings and their actions: raised from a score by a moderator or admin (proposed by the
// Victims' Advocate), answered by the agency, tracked to closure. Auditors see none of it; an
// agency user sees only their own agency's findings once issued, and 404 for anything else.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { sql } from 'drizzle-orm'
import { todayIso } from '../../../audits/calendar.ts'
import { readDateParts } from '../../../audits/date-input.ts'
import {
  canAddAction,
  canRecordProgress,
  checkCloseAction,
  checkFindingMove,
  findingMoves,
  findingStatuses,
  initialStatus,
  movesFor,
  progressStatuses,
  severities,
  type FindingStatus,
} from '../../../audits/findings.ts'
import { getFramework, getItem } from '../../../audits/frameworks/index.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { addError, formError, idParam, noErrors, parseForm, submittedValues, type FormErrors } from '../../forms.ts'
import type { Scope } from '../../scope.ts'
import { wording } from '../../services/scores/figures.ts'
import { agencyOptions, findAgency, findRound, visibleRounds } from '../../services/scores/rounds-queries.ts'
import { findingWords, severityLabels } from './labels.ts'
import { findingsCsv, findingsXlsx } from './exports.ts'
import {
  actionsOf,
  actorFor,
  addAction,
  carryForwardFor,
  closeAction,
  createFinding,
  evidenceFor,
  exportRows,
  findingCounts,
  getAction,
  getFinding,
  listFindings,
  moveFinding,
  recordProgress,
  shortfallCases,
  unclosedActions,
} from '../../services/findings/queries.ts'

const text = (max: number, empty: string, long: string) =>
  z.string({ error: empty }).trim().min(1, { error: empty }).max(max, { error: long })
const list = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()))

const findingSchema = z.object({
  title: text(200, 'Enter a short title for the finding', 'Title must be 200 characters or fewer'),
  items: list.pipe(z.array(z.string()).min(1, { error: 'Select at least one item the finding concerns' })),
  severity: z.enum(severities, { error: 'Select how serious the finding is' }),
  recommendation: text(5000, 'Enter the recommendation', 'Recommendation must be 5,000 characters or fewer'),
  caseRefs: z.string().max(5000, { error: 'List at most 5,000 characters of case references' }).optional().default(''),
})

const moveSchema = z.object({
  to: z.enum(findingStatuses, { error: 'Choose what to do' }),
  text: z.string().trim().max(5000, { error: 'Write 5,000 characters or fewer' }).optional().default(''),
})

const actionSchema = z.object({
  description: text(2000, 'Describe the action', 'Description must be 2,000 characters or fewer'),
})

const progressSchema = z.object({
  note: text(2000, 'Describe the progress made', 'Progress note must be 2,000 characters or fewer'),
  status: z.enum(progressStatuses as [string, ...string[]], { error: 'Select where the action now stands' }),
})

function isPublished(roundStatus: string): boolean {
  return roundStatus === 'published' || roundStatus === 'archived'
}

function splitRefs(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ]
}

function download(reply: FastifyReply, type: string, name: string, body: string | Buffer) {
  return reply
    .header('Content-Type', type)
    .header('Content-Disposition', `attachment; filename="${name}"`)
    .header('Cache-Control', 'no-store')
    .send(body)
}

function dateFrom(body: unknown, name: string, label: string, errors: FormErrors): string | null {
  const b = (body ?? {}) as Record<string, unknown>
  const part = (k: string) => (typeof b[`${name}-${k}`] === 'string' ? (b[`${name}-${k}`] as string) : '')
  const reading = readDateParts({ day: part('day'), month: part('month'), year: part('year') }, label)
  if (reading.kind === 'date') return reading.iso
  addError(errors, name, reading.kind === 'empty' ? `Enter ${label.toLowerCase()}` : reading.message)
  return null
}

const findingsRoutes: FastifyPluginAsync = async (app) => {
  const db = app.db
  const severityOptions = severities.map((s) => ({ value: s, text: severityLabels[s] }))

  /** The finding in the URL if the user may see it; otherwise the reply is a 404. */
  function findingFrom(request: FastifyRequest, reply: FastifyReply) {
    const id = idParam(request.params)
    const f = id === null ? undefined : getFinding(db, scopeOf(request), id)
    if (!f) sendNotFound(reply)
    return f
  }
  function actionFrom(request: FastifyRequest, reply: FastifyReply) {
    const id = idParam(request.params)
    const a = id === null ? undefined : getAction(db, scopeOf(request), id, todayIso())
    if (!a) sendNotFound(reply)
    return a
  }

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
    return download(reply, 'text/csv; charset=utf-8', 'findings-and-actions.csv', findingsCsv(rows))
  })

  app.get('/findings/export.xlsx', async (request, reply) => {
    const rows = exportRows(db, scopeOf(request), todayIso())
    return download(
      reply,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'findings-and-actions.xlsx',
      await findingsXlsx(rows),
    )
  })

  // Step one without a score to start from: choose the round and agency (a GET form, no script).
  app.get('/findings/new', async (request, reply) => {
    const scope = scopeOf(request)
    const q = (request.query ?? {}) as Record<string, unknown>
    const roundId = idParam(q, 'round')
    const agencyId = idParam(q, 'agency')
    const round = roundId === null ? undefined : findRound(db, scope, roundId)
    const agency = agencyId === null ? undefined : findAgency(db, scope, agencyId)
    if (!round || !agency) {
      const chosen = q.round !== undefined || q.agency !== undefined
      const errors = chosen
        ? (() => {
            const e = noErrors()
            if (!round) addError(e, 'round', 'Select the round the finding comes from')
            if (!agency) addError(e, 'agency', 'Select the agency the finding is about')
            return e
          })()
        : undefined
      return reply.render(
        'findings/choose',
        {
          rounds: visibleRounds(db, scope).reverse(),
          agencies: agencyOptions(db, scope),
          values: { round: q.round ?? '', agency: q.agency ?? '' },
          errors,
        },
        { status: chosen ? 400 : 200 },
      )
    }
    const item = typeof q.item === 'string' ? getItem(q.item) : undefined
    const itemIds = item && item.edition === round.edition ? [item.id] : []
    const refs = itemIds.length > 0 ? shortfallCases(db, round.id, agency.id, itemIds[0] as string) : []
    return renderNew(reply, scope, round.id, agency.id, {
      items: itemIds,
      caseRefs: refs.join('\n'),
      title: item && itemIds.length > 0 ? `${item.id} ${item.title}` : '',
    })
  })

  function renderNew(
    reply: FastifyReply,
    scope: Scope,
    roundId: number,
    agencyId: number,
    values: Record<string, unknown>,
    errors?: FormErrors,
    status = 200,
  ) {
    const round = findRound(db, scope, roundId)
    const agency = findAgency(db, scope, agencyId)
    if (!round || !agency) return sendNotFound(reply)
    const items = getFramework(round.edition).items
    const picked = (values.items as string[] | undefined) ?? []
    return reply.render(
      'findings/new',
      {
        round,
        agency,
        itemOptions: items.map((i) => ({ value: i.id, text: `${i.id} ${i.title}` })),
        evidence: evidenceFor(
          db,
          round,
          agency.id,
          picked.filter((id) => getItem(id)?.edition === round.edition),
        ),
        severityOptions,
        proposing: scope.role === 'advocate',
        values,
        errors,
        f: wording,
      },
      { status },
    )
  }

  app.post('/findings/new', async (request, reply) => {
    const scope = scopeOf(request)
    const body = (request.body ?? {}) as Record<string, unknown>
    const round = idParam(body, 'round') === null ? undefined : findRound(db, scope, idParam(body, 'round') as number)
    const agency =
      idParam(body, 'agency') === null ? undefined : findAgency(db, scope, idParam(body, 'agency') as number)
    if (!round || !agency) return sendNotFound(reply)
    const values = { ...submittedValues(body), items: list.parse(body.items) }
    const form = parseForm(findingSchema, body)
    const errors = form.ok ? noErrors() : form.errors
    const edition = getFramework(round.edition)
    const itemIds = form.ok ? form.data.items : []
    if (itemIds.some((id) => !edition.items.some((i) => i.id === id)))
      addError(errors, 'items', `Select items of the ${round.edition} Code only`)
    const refs = form.ok ? splitRefs(form.data.caseRefs) : []
    if (refs.length > 200) addError(errors, 'caseRefs', 'List at most 200 case references')
    else if (refs.length > 0) {
      const known = new Set(
        db
          .all<{ ref: string }>(
            sql`SELECT pc.case_ref AS ref FROM sample_cases sc JOIN population_cases pc ON pc.id = sc.population_case_id WHERE sc.round_id = ${round.id}`,
          )
          .map((r) => r.ref),
      )
      const unknown = refs.filter((r) => !known.has(r))
      const named = `${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ' and others' : ''}`
      if (unknown.length > 0)
        addError(
          errors,
          'caseRefs',
          unknown.length === 1
            ? `${named} is not a sampled case of ${round.name}`
            : `${named} are not sampled cases of ${round.name}`,
        )
    }
    const status = initialStatus(actorFor(scope, agency.id))
    if (!form.ok || errors.summary.length > 0 || status === null)
      return renderNew(reply, scope, round.id, agency.id, values, errors, 400)
    const id = createFinding(db, scope, {
      round,
      agencyId: agency.id,
      title: form.data.title,
      itemIds,
      caseRefs: refs,
      severity: form.data.severity,
      recommendation: form.data.recommendation,
      status,
    })
    reply.flash(
      status === 'proposed' ? 'Finding proposed: a moderator will accept or decline it' : 'Finding raised as a draft',
    )
    return reply.redirect(`/findings/${id}`, 303)
  })

  app.get('/findings/:id', async (request, reply) => {
    const f = findingFrom(request, reply)
    if (!f) return reply
    return renderFinding(reply, scopeOf(request), f.id)
  })

  app.post('/findings/:id/status', async (request, reply) => {
    const scope = scopeOf(request)
    const f = findingFrom(request, reply)
    if (!f) return reply
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

  app.post('/findings/:id/actions', async (request, reply) => {
    const scope = scopeOf(request)
    const f = findingFrom(request, reply)
    if (!f) return reply
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

  app.get('/findings/actions/:id', async (request, reply) => {
    const a = actionFrom(request, reply)
    if (!a) return reply
    return renderAction(reply, scopeOf(request), a.id)
  })

  app.post('/findings/actions/:id/progress', async (request, reply) => {
    const scope = scopeOf(request)
    const a = actionFrom(request, reply)
    if (!a) return reply
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

  app.post('/findings/actions/:id/close', async (request, reply) => {
    const scope = scopeOf(request)
    const a = actionFrom(request, reply)
    if (!a) return reply
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

export default findingsRoutes
