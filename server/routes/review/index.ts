// Case review: the auditor's worklist and case page, autosave of facts and answers, completing,
// returning and reporting a case unusable.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { checkAnswer } from '../../../audits/answer-rules.ts'
import type { Applicability } from '../../../audits/applicability.ts'
import { describeUnusable } from '../../../audits/case-progress.ts'
import { caseStatuses, type CaseStatus } from '../../../audits/vocabulary.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { wantsFragment } from '../../plugins/views.ts'
import {
  addError,
  asBody,
  field,
  idParam,
  noErrors,
  parseForm,
  RETURN_COMMENT_MAX,
  returnSchema,
  unusableSchema,
  type FormErrors,
} from '../../forms.ts'
import { formatTime } from '../../view-helpers.ts'
import { answerErrorAnchor, readAnswerInput, readResolution, readVersion } from './answer-form.ts'
import { fieldIdOf } from '../../../audits/applicability.ts'
import { applicabilityOf, loadCaseContext, type CaseContext } from '../../services/review/case-context.ts'
import {
  caseStatusLabels,
  conflictView,
  derivedView,
  factsOptions,
  itemView,
  progressView,
  type GroupBy,
  type ItemOverlay,
} from './case-view.ts'
import {
  blankEventRow,
  checkFacts,
  hasBlankRow,
  readFactsValues,
  type FactsValues,
} from '../../services/review/facts-form.ts'
import { loadAnswer, loadAnswers, worklistSorts, type WorklistSort } from '../../services/review/queries.ts'
import { agencyForObligation } from '../../../audits/responsible-agency.ts'
import {
  completeCase,
  reportUnusable,
  returnCase,
  saveAllAnswers,
  saveAnswer,
  saveFacts,
  type AnswerChange,
  type FactsChange,
} from '../../services/review/writes.ts'
import { worklistRows } from './worklist.ts'
import { completeSecondMarking } from '../../services/moderation/writes.ts'
import {
  answerContext,
  CONFIRM_REMOVAL_MESSAGE,
  conflictMessage,
  planWholeFormSave,
  removalToConfirm,
  type ConfirmView,
} from './whole-form.ts'

const unusableForm = unusableSchema('unusableReason', 'unusableDetails')

/** Banners after a redirect: fixed messages, so nothing from the address is echoed onto the page. */
const notices = {
  saved: 'Your answers have been saved',
  facts: 'The case facts have been saved',
  complete: 'The case is complete',
  returned: 'The case has been returned to the auditor',
  unusable: 'The case has been reported as unusable. An administrator will replace it.',
  secondMarked: 'Your second marking is complete',
  unsure: 'Your note that you are unsure of this case has been saved',
} as const

const sortOptions: Array<{ value: WorklistSort; text: string }> = [
  { value: 'status', text: 'Status (returned cases first)' },
  { value: 'ref', text: 'Case reference' },
  { value: 'progress', text: 'Least answered first' },
  { value: 'updated', text: 'Most recently changed' },
]

const caseQuery = z.object({
  group: z.enum(['theme', 'right']).catch('theme'),
  done: z
    .enum(Object.keys(notices) as [keyof typeof notices, ...Array<keyof typeof notices>])
    .optional()
    .catch(undefined),
})

const worklistQuery = z.object({
  status: z.enum(caseStatuses).optional().catch(undefined),
  sort: z.enum(worklistSorts).catch('status'),
  show: z.enum(['mine', 'everyone']).catch('mine'),
})

function groupOf(value: string): GroupBy {
  return value === 'right' ? 'right' : 'theme'
}

function caseUrl(id: number, group: GroupBy, done?: keyof typeof notices, anchor?: string): string {
  const q = new URLSearchParams()
  if (group !== 'theme') q.set('group', group)
  if (done) q.set('done', done)
  const qs = q.toString()
  return `/cases/${id}${qs ? `?${qs}` : ''}${anchor ? `#${anchor}` : ''}`
}

interface PageExtras {
  status?: number
  errors?: FormErrors
  factsValues?: FactsValues
  overlays?: Map<string, ItemOverlay>
  /** Obligations under submitted facts that were not saved (shown with the submitted answers). */
  applicability?: Applicability | null
  confirm?: ConfirmView | null
  notice?: string
  unusableValues?: { reason: string; details: string; open: boolean }
  returnValues?: { comment: string }
}

const reviewRoutes: FastifyPluginAsync = async (app) => {
  function context(request: FastifyRequest): CaseContext | null {
    const id = idParam(request.params, 'id')
    return id === null ? null : loadCaseContext(app.db, scopeOf(request), id)
  }

  function renderCase(reply: FastifyReply, ctx: CaseContext, group: GroupBy, extras: PageExtras = {}) {
    const answers = loadAnswers(app.db, ctx.rec.id, ctx.access.marker)
    return reply.render(
      'review/case',
      {
        title: `Case ${ctx.rec.caseRef}`,
        opts: factsOptions,
        statusLabels: caseStatusLabels,
        rec: ctx.rec,
        access: ctx.access,
        caseId: ctx.rec.id,
        groupBy: group,
        factsSaved: ctx.savedFacts !== null,
        facts: {
          caseId: ctx.rec.id,
          values: extras.factsValues ?? ctx.factsValues,
          choices: ctx.choices,
          editable: ctx.access.factsEditable,
          confirm: extras.confirm ?? null,
        },
        derived: derivedView(
          ctx,
          answers,
          group,
          extras.overlays,
          extras.applicability === undefined ? ctx.applicability : extras.applicability,
        ),
        progress: progressView(ctx, answers),
        errors: extras.errors,
        notice: extras.notice,
        unusable: extras.unusableValues ?? { reason: '', details: '', open: false },
        returnValues: extras.returnValues ?? { comment: '' },
      },
      // Only the page itself has a fragment (the entitlements, for the grouping links); a refused
      // form always comes back as the whole page with its error summary.
      { fragment: extras.status === undefined ? 'review/_derived' : undefined, status: extras.status },
    )
  }

  /** A change to a case that is not this user's to change: 404 if not theirs, 409 if locked. */
  function refuseEdit(request: FastifyRequest, reply: FastifyReply, ctx: CaseContext): FastifyReply | null {
    if (!ctx.access.allocated) return sendNotFound(reply)
    if (ctx.access.editable) return null
    const why =
      ctx.rec.status === 'complete'
        ? 'This case is complete, so it can no longer be changed. A moderator can return it to you.'
        : ctx.rec.status === 'unusable' || ctx.rec.status === 'replaced'
          ? 'This case was reported unusable, so it can no longer be changed.'
          : 'This round is not open for review, so the case cannot be changed.'
    if (wantsFragment(request)) return reply.render('review/_locked', { message: why }, { status: 409 })
    return reply.render(
      'review/locked',
      { title: 'This case cannot be changed', message: why, caseId: ctx.rec.id },
      { status: 409 },
    )
  }

  /** The facts, and whether the case can be audited at all, are the first marker's to record. */
  function refuseSecondMarker(request: FastifyRequest, reply: FastifyReply, ctx: CaseContext): FastifyReply | null {
    if (ctx.access.marker === 'primary') return null
    const why = 'You are second-marking this case: the case facts are the auditor’s to record.'
    if (wantsFragment(request)) return reply.render('review/_locked', { message: why }, { status: 409 })
    return reply.render(
      'review/locked',
      { title: 'This case cannot be changed', message: why, caseId: ctx.rec.id },
      { status: 409 },
    )
  }

  // Every case route starts the same way: the case this user may read, or 404; and for a change,
  // refused unless it is theirs to change. The handler then reads it with caseOf(request).
  const loaded = new WeakMap<FastifyRequest, CaseContext>()
  const caseOf = (request: FastifyRequest): CaseContext => loaded.get(request) as CaseContext
  const loadCase = async (request: FastifyRequest, reply: FastifyReply) => {
    const ctx = context(request)
    if (!ctx) return sendNotFound(reply)
    loaded.set(request, ctx)
  }
  const loadCaseToEdit = async (request: FastifyRequest, reply: FastifyReply) => {
    const ctx = context(request)
    if (!ctx) return sendNotFound(reply)
    const refused = refuseEdit(request, reply, ctx)
    if (refused) return refused
    loaded.set(request, ctx)
  }

  /** Like loadCaseToEdit, for what only the first marker records. */
  const loadCaseForFirstMarker = async (request: FastifyRequest, reply: FastifyReply) => {
    const ctx = context(request)
    if (!ctx) return sendNotFound(reply)
    const refused = refuseEdit(request, reply, ctx) ?? refuseSecondMarker(request, reply, ctx)
    if (refused) return refused
    loaded.set(request, ctx)
  }

  app.get('/worklist', async (request, reply) => {
    const scope = scopeOf(request)
    const q = worklistQuery.parse(request.query ?? {})
    const everyone = scope.role === 'moderator' && q.show === 'everyone'
    const rows = worklistRows(app.db, scope, {
      status: (q.status ?? null) as CaseStatus | null,
      sort: q.sort as WorklistSort,
      everyone,
    })
    return reply.render(
      'review/worklist',
      {
        title: everyone ? 'All cases in open rounds' : 'My cases',
        rows,
        filter: { status: q.status ?? '', sort: q.sort, show: everyone ? 'everyone' : 'mine' },
        everyone,
        isFragment: wantsFragment(request),
        statusLabels: caseStatusLabels,
        statusOptions: caseStatuses
          .filter((s) => s !== 'replaced')
          .map((value) => ({ value, text: caseStatusLabels[value] })),
        sortOptions: sortOptions,
      },
      { fragment: 'review/_worklist-results' },
    )
  })

  app.get('/cases/:id', { preHandler: loadCase }, async (request, reply) => {
    const ctx = caseOf(request)
    const q = caseQuery.parse(request.query ?? {})
    return renderCase(reply, ctx, q.group, { notice: q.done ? notices[q.done] : undefined })
  })

  // One answer, saved as the auditor goes (htmx). Without script the same fields arrive through
  // the whole-page form below; a plain POST here still works and redirects.
  app.post('/cases/:id/answers/:key', { preHandler: loadCaseToEdit }, async (request, reply) => {
    const ctx = caseOf(request)
    const key = (request.params as { key?: unknown }).key
    const obligation = typeof key === 'string' ? ctx.applicability?.items.find((o) => o.key === key) : undefined
    if (!obligation || !ctx.facts) {
      // Most likely the facts changed in another tab; say so rather than fail without a word.
      if (wantsFragment(request))
        return reply.render(
          'review/_locked',
          {
            message:
              'Not saved: this obligation no longer applies to the case, because its facts have changed. Reload the page.',
          },
          { status: 409 },
        )
      return sendNotFound(reply)
    }
    const scope = scopeOf(request)
    const body = asBody(request.body)
    const fid = fieldIdOf(obligation.key)
    const htmx = wantsFragment(request)
    const group = groupOf(field(body, 'group'))
    // Read here only when nothing is saved; a save reads it inside its transaction.
    const storedNow = () => loadAnswer(app.db, ctx.rec.id, obligation.key, ctx.access.marker)
    const resolution = readResolution(body, fid)

    if (resolution?.choice === 'theirs') {
      if (!htmx) return reply.redirect(caseUrl(ctx.rec.id, group, undefined, `item-${fid}`), 303)
      const stored = storedNow()
      const view = itemView(obligation, stored)
      return reply
        .header('HX-Retarget', `#item-${fid}`)
        .header('HX-Reswap', 'innerHTML')
        .render('review/_item-body', {
          item: view,
          caseId: ctx.rec.id,
          opts: factsOptions,
          statusText: stored ? `Kept the answer saved at ${formatTime(stored.updatedAt)}` : 'Kept the saved answer',
          focusStatus: true,
          conflictMode: 'htmx',
        })
    }

    const input = readAnswerInput(body, fid)
    const expectedVersion =
      resolution?.choice === 'mine' ? resolution.theirsVersion : readVersion(body, `${fid}-version`)
    const check = checkAnswer(input, answerContext(obligation, ctx.today, htmx ? 'autosave' : 'save'))

    if (!check.ok) {
      if (!htmx) {
        const errors = noErrors()
        for (const [f, text] of Object.entries(check.errors))
          addError(
            errors,
            `${fid}-${f}`,
            `${obligation.item.id} ${obligation.item.title}: ${text}`,
            answerErrorAnchor(fid, f as never),
          )
        return renderCase(reply, ctx, group, {
          status: 400,
          errors,
          overlays: new Map([[obligation.key, { input, errors: check.errors }]]),
        })
      }
      const statusText =
        check.pending !== null
          ? `Not saved yet: ${check.pending}.`
          : `Not saved: ${Object.values(check.errors).join('. ')}.`
      return reply.render(
        'review/_answer-saved',
        { item: itemView(obligation, storedNow(), { errors: check.errors }), statusText, saved: false },
        { status: check.pending !== null ? 200 : 400 },
      )
    }

    const change: AnswerChange = {
      obligation,
      value: check.answer,
      expectedVersion: expectedVersion ?? -1,
      agencyId: agencyForObligation(ctx.directory, ctx.facts, obligation, ctx.rec.agencyRef),
      marker: ctx.access.marker,
    }
    const result = saveAnswer(app.db, scope, ctx.rec, change, ctx.savedFacts ? null : ctx.facts)

    if (result.kind === 'conflict') {
      const view = itemView(obligation, result.row, { input, conflict: conflictView(input, result.row) })
      if (!htmx) {
        const errors = noErrors()
        addError(
          errors,
          `${fid}-resolve`,
          conflictMessage(`${obligation.item.id} ${obligation.item.title}`),
          `${fid}-resolve`,
        )
        return renderCase(reply, ctx, group, {
          status: 409,
          errors,
          overlays: new Map([[obligation.key, { input, conflict: view.conflict }]]),
        })
      }
      return reply
        .header('HX-Retarget', `#${fid}-conflict`)
        .header('HX-Reswap', 'innerHTML')
        .render('review/_answer-conflict', { item: view, caseId: ctx.rec.id }, { status: 409 })
    }

    if (!htmx) return reply.redirect(caseUrl(ctx.rec.id, group, 'saved', `item-${fid}`), 303)
    const row = result.row
    // Progress only moves when an outcome appears or disappears; skip the recount otherwise.
    const progressMoved = result.kind === 'saved' && (result.before?.outcome == null) !== (row?.outcome == null)
    const progress = progressMoved
      ? progressView(ctx, loadAnswers(app.db, ctx.rec.id, ctx.access.marker), 'in_progress')
      : null
    return reply.render('review/_answer-saved', {
      item: itemView(obligation, row),
      statusText: row ? `Saved at ${formatTime(row.updatedAt)}` : '',
      saved: true,
      clearConflict: resolution?.choice === 'mine',
      progress,
    })
  })

  app.post('/cases/:id/facts', { preHandler: loadCaseForFirstMarker }, async (request, reply) => {
    const ctx = caseOf(request)
    const scope = scopeOf(request)
    const body = asBody(request.body)
    const htmx = wantsFragment(request)
    const group = groupOf(field(body, 'group'))
    const values = readFactsValues(body)
    const check = checkFacts(values, {
      mode: htmx ? 'autosave' : 'save',
      today: ctx.today,
      agencyNames: new Set(ctx.choices.map((c) => c.name)),
    })
    const rows = values.events.map((r) => r.index)
    const newRow = htmx && !hasBlankRow(values.events) ? blankEventRow(Math.max(-1, ...rows) + 1) : null
    const fragment = (status: number, data: Record<string, unknown>) =>
      reply.render(
        'review/_facts-saved',
        {
          rows,
          newRow,
          choices: ctx.choices,
          opts: factsOptions,
          errors: noErrors(),
          confirm: null,
          derived: null,
          progress: null,
          ...data,
        },
        { status },
      )

    if (!check.ok) {
      if (htmx) return fragment(400, { statusText: 'Not saved: check the case facts.', errors: check.errors })
      return renderCase(reply, ctx, group, { status: 400, errors: check.errors, factsValues: values })
    }
    const applicability = applicabilityOf(check.facts, ctx.overrides)
    const confirm = removalToConfirm(app.db, ctx, applicability, values)
    if (confirm) {
      const n = confirm.items.length
      if (htmx)
        return fragment(409, {
          statusText: `Not saved: this change would delete the answers to ${n === 1 ? '1 obligation' : `${n} obligations`} that would no longer apply. Confirm below to go ahead.`,
          confirm,
        })
      const errors = noErrors()
      addError(errors, 'confirmRemoval', CONFIRM_REMOVAL_MESSAGE)
      return renderCase(reply, ctx, group, { status: 400, errors, factsValues: values, confirm })
    }
    const change: FactsChange = { facts: check.facts, applicability, directory: ctx.directory }
    const { changed } = saveFacts(app.db, scope, ctx.rec, change)
    if (!htmx) return reply.redirect(caseUrl(ctx.rec.id, group, 'facts'), 303)

    const skipped = check.incompleteRows.map((i) => i + 1)
    const pendingText =
      skipped.length === 0
        ? ''
        : ` Event ${skipped.join(', ')} ${skipped.length === 1 ? 'is' : 'are'} not saved until ${skipped.length === 1 ? 'it has' : 'they have'} a type and a whole date.`
    // The entitlements are only redrawn when the facts changed, so nothing half-typed in an
    // answer is redrawn away by a change that made no difference.
    if (!changed) return fragment(200, { statusText: `No change to the facts.${pendingText}` })
    const fresh = loadCaseContext(app.db, scope, ctx.rec.id) as CaseContext
    const answers = loadAnswers(app.db, ctx.rec.id, ctx.access.marker)
    return fragment(200, {
      statusText: `Facts saved at ${formatTime(fresh.rec.updatedAt)}. The entitlements below are up to date.${pendingText}`,
      derived: derivedView(fresh, answers, group),
      progress: progressView(fresh, answers),
    })
  })

  // Without script: the whole page is one form, saved all together or not at all.
  app.post('/cases/:id', { preHandler: loadCaseToEdit }, async (request, reply) => {
    const ctx = caseOf(request)
    const scope = scopeOf(request)
    const body = asBody(request.body)
    const group = groupOf(field(body, 'group'))
    const plan = planWholeFormSave(app.db, ctx, body)
    const { errors, factsValues, overlays, applicability, confirm } = plan
    if (errors.summary.length > 0) {
      const status = plan.conflicts === errors.summary.length ? 409 : 400
      return renderCase(reply, ctx, group, { status, errors, factsValues, overlays, applicability, confirm })
    }
    const result = saveAllAnswers(
      app.db,
      scope,
      ctx.rec,
      plan.changes,
      plan.factsChange,
      ctx.savedFacts ? null : ctx.facts,
    )
    if (result.kind === 'conflict') {
      // Someone saved between the check and the write: show those clashes the same way.
      const fresh = loadAnswers(app.db, ctx.rec.id, ctx.access.marker)
      const labels = new Map((applicability?.items ?? []).map((o) => [o.key, `${o.item.id} ${o.item.title}`]))
      for (const key of result.keys) {
        const input = overlays.get(key)?.input
        if (input) overlays.set(key, { input, conflict: conflictView(input, fresh.get(key) ?? null) })
        addError(
          errors,
          `${fieldIdOf(key)}-resolve`,
          conflictMessage(labels.get(key) ?? key),
          `${fieldIdOf(key)}-resolve`,
        )
      }
      return renderCase(reply, ctx, group, { status: 409, errors, factsValues, overlays, applicability, confirm })
    }
    return reply.redirect(caseUrl(ctx.rec.id, group, 'saved'), 303)
  })

  app.post('/cases/:id/complete', { preHandler: loadCaseToEdit }, async (request, reply) => {
    const ctx = caseOf(request)
    const answers = loadAnswers(app.db, ctx.rec.id, ctx.access.marker)
    const progress = progressView(ctx, answers)
    const group = groupOf(field(asBody(request.body), 'group'))
    const secondMarking = ctx.access.marker === 'second'
    const factsAgree = field(asBody(request.body), 'factsAgree')
    const factsNote = field(asBody(request.body), 'factsNote').trim()
    if (
      progress.blocker !== null ||
      ctx.savedFacts === null ||
      (secondMarking &&
        ((factsAgree !== 'yes' && factsAgree !== 'no') ||
          (factsAgree === 'no' && factsNote === '') ||
          factsNote.length > RETURN_COMMENT_MAX))
    ) {
      const errors = noErrors()
      const first = progress.missing[0]
      if (progress.blocker !== null || ctx.savedFacts === null)
        addError(
          errors,
          'complete',
          progress.blocker ?? 'Save the case facts before completing the case',
          first ? `${first.fid}-outcome` : 'case-facts',
        )
      else if (factsAgree !== 'yes' && factsAgree !== 'no')
        addError(errors, 'factsAgree', 'Select whether the case facts are right')
      else if (factsNote.length > RETURN_COMMENT_MAX)
        addError(
          errors,
          'factsNote',
          `What you found must be ${RETURN_COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`,
        )
      else addError(errors, 'factsNote', 'Enter what the file shows about the facts')
      return renderCase(reply, ctx, group, { status: 400, errors })
    }
    if (secondMarking) {
      completeSecondMarking(app.db, scopeOf(request), ctx.rec, {
        factsAgree: factsAgree === 'yes',
        factsNote: factsNote || null,
      })
      return reply.redirect(caseUrl(ctx.rec.id, group, 'secondMarked'), 303)
    }
    completeCase(app.db, scopeOf(request), ctx.rec)
    return reply.redirect(caseUrl(ctx.rec.id, group, 'complete'), 303)
  })

  app.post('/cases/:id/return', { preHandler: loadCase }, async (request, reply) => {
    const ctx = caseOf(request)
    const body = asBody(request.body)
    const group = groupOf(field(body, 'group'))
    if (!ctx.access.canReturn) {
      const message =
        ctx.rec.status === 'complete'
          ? 'This round is not open for review, so the case cannot be returned.'
          : 'Only a complete case can be returned to the auditor.'
      if (wantsFragment(request)) return reply.render('review/_locked', { message }, { status: 409 })
      return reply.render(
        'review/locked',
        { title: 'This case cannot be returned', message, caseId: ctx.rec.id },
        { status: 409 },
      )
    }
    const form = parseForm(returnSchema, { returnComment: field(body, 'returnComment') })
    if (!form.ok)
      return renderCase(reply, ctx, group, {
        status: 400,
        errors: form.errors,
        returnValues: { comment: field(body, 'returnComment') },
      })
    returnCase(app.db, scopeOf(request), ctx.rec, form.data.returnComment)
    return reply.redirect(caseUrl(ctx.rec.id, group, 'returned'), 303)
  })

  app.post('/cases/:id/unusable', { preHandler: loadCaseForFirstMarker }, async (request, reply) => {
    const ctx = caseOf(request)
    const body = asBody(request.body)
    const group = groupOf(field(body, 'group'))
    const values = { unusableReason: field(body, 'unusableReason'), unusableDetails: field(body, 'unusableDetails') }
    const form = parseForm(unusableForm, values)
    if (!form.ok) {
      const unusableValues = { reason: values.unusableReason, details: values.unusableDetails, open: true }
      return renderCase(reply, ctx, group, { status: 400, errors: form.errors, unusableValues })
    }
    reportUnusable(app.db, scopeOf(request), ctx.rec, describeUnusable(form.data.reason, form.data.details))
    return reply.redirect(caseUrl(ctx.rec.id, group, 'unusable'), 303)
  })
}

export default reviewRoutes
