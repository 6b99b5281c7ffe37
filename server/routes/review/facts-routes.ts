// Saving the case facts as the auditor types them (htmx), or on their own without script.
import type { FastifyPluginAsync } from 'fastify'
import { scopeOf } from '../../plugins/auth.ts'
import { wantsFragment } from '../../plugins/views.ts'
import { addError, asBody, field, noErrors } from '../../forms.ts'
import { formatTime } from '../../view-helpers.ts'
import { applicabilityOf, loadCaseContext, type CaseContext } from '../../services/review/case-context.ts'
import { derivedView, progressView } from './case-view.ts'
import { factsOptions } from './case-options.ts'
import { blankEventRow, hasBlankRow } from '../../services/review/facts-form.ts'
import { checkFacts } from '../../services/review/facts-check.ts'
import { readFactsValues } from './facts-fields.ts'
import { loadAnswers } from '../../services/review/queries.ts'
import { saveFacts, type FactsChange } from '../../services/review/facts-writes.ts'
import { CONFIRM_REMOVAL_MESSAGE, removalToConfirm } from './whole-form.ts'
import { caseOf, caseUrl, groupOf, loadCaseForFirstMarker, renderCase } from './case-page.ts'

const factsRoutes: FastifyPluginAsync = async (app) => {
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
    const applicability = applicabilityOf(check.facts, ctx.rec)
    const confirm = removalToConfirm(app.db, ctx, applicability, values)
    if (confirm) {
      const n = confirm.items.length
      if (htmx)
        return fragment(409, {
          statusText: `Not saved: this change would delete the answers to ${
            n === 1 ? '1 obligation' : `${n} obligations`
          } that would no longer apply. Confirm below to go ahead.`,
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
        : ` Event ${skipped.join(', ')} ${skipped.length === 1 ? 'is' : 'are'} not saved until ` +
          `${skipped.length === 1 ? 'it has' : 'they have'} a type and a whole date.`
    // The entitlements are only redrawn when the facts changed, so nothing half-typed in an
    // answer is redrawn away by a change that made no difference.
    if (!changed) return fragment(200, { statusText: `No change to the facts.${pendingText}` })
    const fresh = loadCaseContext(app.db, scope, ctx.rec.id) as CaseContext
    const answers = loadAnswers(app.db, ctx.rec.id, ctx.access.marker)
    return fragment(200, {
      statusText:
        `Facts saved at ${formatTime(fresh.rec.updatedAt)}. ` + `The entitlements below are up to date.${pendingText}`,
      derived: derivedView(fresh, answers, group),
      progress: progressView(fresh, answers),
    })
  })
}

export default factsRoutes
