// Saving answers: one at a time as the auditor goes (htmx), or the whole page at once without script.
import type { FastifyPluginAsync } from 'fastify'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { wantsFragment } from '../../plugins/views.ts'
import { asBody, field, noErrors } from '../../forms.ts'
import { formatTime } from '../../view-helpers.ts'
import { readResolution } from './answer-form.ts'
import { fieldIdOf } from '../../../audits/field-ids.ts'
import { conflictView, itemView, progressView } from './case-view.ts'
import { factsOptions } from './case-options.ts'
import { addAnswerErrors, addConflictError, itemLabel, saveOneAnswer } from './answer-save.ts'
import { loadAnswers } from '../../services/review/queries.ts'
import { saveAllAnswers } from '../../services/review/writes.ts'
import { planWholeFormSave } from './whole-form.ts'
import { caseOf, caseUrl, groupOf, loadCaseToEdit, renderCase } from './case-page.ts'

const answerRoutes: FastifyPluginAsync = async (app) => {
  // One answer, saved as the auditor goes (htmx). Without script the same fields arrive through
  // the whole-page form below; a plain POST here still works and redirects.
  app.post('/cases/:id/answers/:key', { preHandler: loadCaseToEdit }, async (request, reply) => {
    const ctx = caseOf(request)
    const key = (request.params as { key?: unknown }).key
    const obligation = typeof key === 'string' ? ctx.applicability?.items.find((o) => o.key === key) : undefined
    const htmx = wantsFragment(request)
    if (!obligation || !ctx.facts) {
      // Most likely the facts changed in another tab; say so rather than fail without a word.
      if (!htmx) return sendNotFound(reply)
      const message =
        'Not saved: this obligation no longer applies to the case, because its facts have changed. Reload the page.'
      return reply.render('review/_locked', { message }, { status: 409 })
    }
    const body = asBody(request.body)
    const fid = fieldIdOf(obligation.key)
    const group = groupOf(field(body, 'group'))
    const result = saveOneAnswer(app.db, scopeOf(request), ctx, obligation, body, htmx ? 'autosave' : 'save')

    switch (result.kind) {
      case 'kept': {
        if (!htmx) return reply.redirect(caseUrl(ctx.rec.id, group, undefined, `item-${fid}`), 303)
        const stored = result.row
        return reply
          .header('HX-Retarget', `#item-${fid}`)
          .header('HX-Reswap', 'innerHTML')
          .render('review/_item-body', {
            item: itemView(obligation, stored),
            caseId: ctx.rec.id,
            opts: factsOptions,
            statusText: stored ? `Kept the answer saved at ${formatTime(stored.updatedAt)}` : 'Kept the saved answer',
            focusStatus: true,
            conflictMode: 'htmx',
          })
      }
      case 'invalid':
      case 'pending': {
        if (!htmx) {
          const errors = noErrors()
          addAnswerErrors(errors, obligation, result.errors)
          const overlays = new Map([[obligation.key, { input: result.input, errors: result.errors }]])
          return renderCase(reply, ctx, group, { status: 400, errors, overlays })
        }
        const statusText =
          result.kind === 'pending'
            ? `Not saved yet: ${result.pending}.`
            : `Not saved: ${Object.values(result.errors).join('. ')}.`
        return reply.render(
          'review/_answer-saved',
          { item: itemView(obligation, result.row, { errors: result.errors }), statusText, saved: false },
          { status: result.kind === 'pending' ? 200 : 400 },
        )
      }
      case 'conflict': {
        const conflict = conflictView(result.input, result.row)
        if (!htmx) {
          const errors = noErrors()
          addConflictError(errors, obligation.key, itemLabel(obligation))
          const overlays = new Map([[obligation.key, { input: result.input, conflict }]])
          return renderCase(reply, ctx, group, { status: 409, errors, overlays })
        }
        return reply
          .header('HX-Retarget', `#${fid}-conflict`)
          .header('HX-Reswap', 'innerHTML')
          .render(
            'review/_answer-conflict',
            { item: itemView(obligation, result.row, { input: result.input, conflict }), caseId: ctx.rec.id },
            { status: 409 },
          )
      }
      case 'saved': {
        if (!htmx) return reply.redirect(caseUrl(ctx.rec.id, group, 'saved', `item-${fid}`), 303)
        const row = result.row
        // Progress only moves when an outcome appears or disappears; skip the recount otherwise.
        const progressMoved = result.written && (result.before?.outcome == null) !== (row?.outcome == null)
        const progress = progressMoved
          ? progressView(ctx, loadAnswers(app.db, ctx.rec.id, ctx.access.marker), 'in_progress')
          : null
        return reply.render('review/_answer-saved', {
          item: itemView(obligation, row),
          statusText: row ? `Saved at ${formatTime(row.updatedAt)}` : '',
          saved: true,
          clearConflict: readResolution(body, fid)?.choice === 'mine',
          progress,
        })
      }
    }
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
      const labels = new Map((applicability?.items ?? []).map((o) => [o.key, itemLabel(o)]))
      for (const key of result.keys) {
        const input = overlays.get(key)?.input
        if (input) overlays.set(key, { input, conflict: conflictView(input, fresh.get(key) ?? null) })
        addConflictError(errors, key, labels.get(key) ?? key)
      }
      return renderCase(reply, ctx, group, { status: 409, errors, factsValues, overlays, applicability, confirm })
    }
    return reply.redirect(caseUrl(ctx.rec.id, group, 'saved'), 303)
  })
}

export default answerRoutes
