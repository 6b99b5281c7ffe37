// Completing a case (or a second marking), returning it to the auditor, and reporting it unusable.
import type { FastifyPluginAsync } from 'fastify'
import { describeUnusable } from '../../../audits/case-progress.ts'
import { scopeOf } from '../../plugins/auth.ts'
import {
  addError,
  asBody,
  field,
  noErrors,
  parseForm,
  RETURN_COMMENT_MAX,
  returnSchema,
  unusableSchema,
} from '../../forms.ts'
import { progressView } from './case-view.ts'
import { loadAnswers } from '../../services/review/queries.ts'
import { completeCase, reportUnusable, returnCase } from '../../services/review/case-status-writes.ts'
import { completeSecondMarking } from '../../services/moderation/writes.ts'
import {
  caseOf,
  caseUrl,
  groupOf,
  loadCase,
  loadCaseForFirstMarker,
  loadCaseToEdit,
  renderCase,
  renderLocked,
} from './case-page.ts'

const unusableForm = unusableSchema('unusableReason', 'unusableDetails')

const caseActionRoutes: FastifyPluginAsync = async (app) => {
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
      return renderLocked(request, reply, ctx, message, 'This case cannot be returned')
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

export default caseActionRoutes
