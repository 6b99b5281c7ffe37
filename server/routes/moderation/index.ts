// Moderation: the round's cases for second marking (add, remove, allocate), the agreement report
// and its CSV, a case's three marks with the moderator's resolution, the moderation worklist, and
// the auditor's "unsure" flag. Second marking itself happens on the review case page.
import { CSV_TYPE, sendDownload } from '../../downloads.ts'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { outcomes, type Outcome } from '../../../schema/index.ts'
import { outcomeLabels } from '../../../audits/answer-rules.ts'
import { selectionReasonLabels } from '../../../audits/moderation-selection.ts'
import { addError, asBody, field, idParam, noErrors, type FormErrors, type Redisplay } from '../../forms.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { loadRound, requestedRound, redirectWith, roundContext, roundOf } from '../rounds/common.ts'
import type { Round } from '../../services/rounds/queries.ts'
import { loadCaseContext } from '../../services/review/case-context.ts'
import {
  addableCases,
  blindCaseIds,
  factsNoteOf,
  moderationWork,
  outstanding,
  pairedAnswers,
  secondMarkerChoices,
  selectedCase,
  selectedCases,
} from '../../services/moderation/queries.ts'
import { agreementCsv, agreementReport } from './report.ts'
import {
  addCase,
  allocateSecondMarker,
  removeCase,
  resolveFacts,
  resolveObligation,
  setUnsure,
} from '../../services/moderation/writes.ts'

const REASON_MAX = 1000

function reasonError(errors: FormErrors, name: string, value: string, missing: string): void {
  if (value === '') addError(errors, name, missing)
  else if (value.length > REASON_MAX)
    addError(errors, name, `The reason must be ${REASON_MAX.toLocaleString('en-GB')} characters or fewer`)
}

const moderationRoutes: FastifyPluginAsync = async (app) => {
  function renderRound(request: FastifyRequest, reply: FastifyReply, round: Round, extras: Redisplay = {}) {
    const scope = scopeOf(request)
    return reply.render(
      'moderation/round',
      {
        ...roundContext(request, round),
        title: `Moderation: ${round.name}`,
        cases: selectedCases(app.db, round.id),
        addable: addableCases(app.db, round.id),
        markers: secondMarkerChoices(app.db),
        reasonLabels: selectionReasonLabels,
        canChange: round.status === 'moderation',
        canAllocate: scope.role === 'admin' && round.status === 'moderation',
        outstanding: round.status === 'moderation' ? outstanding(app.db, round.id) : null,
        errors: extras.errors,
        values: extras.values ?? {},
      },
      { status: extras.status },
    )
  }

  app.get('/rounds/:id/moderation', { preHandler: loadRound }, async (request, reply) =>
    renderRound(request, reply, roundOf(request)),
  )

  app.post('/rounds/:id/moderation/add', { preHandler: loadRound }, async (request, reply) => {
    const round = roundOf(request)
    const body = asBody(request.body)
    const caseId = Number(field(body, 'caseId'))
    const note = field(body, 'addReason').trim()
    const errors = noErrors()
    if (round.status !== 'moderation')
      addError(errors, 'caseId', 'Cases can only be added while the round is in moderation')
    else if (!addableCases(app.db, round.id).some((c) => c.id === caseId))
      addError(errors, 'caseId', 'Select a completed case that is not already chosen')
    reasonError(errors, 'addReason', note, 'Enter why the case should be second-marked')
    if (errors.summary.length > 0)
      return renderRound(request, reply, round, {
        errors,
        values: { caseId: field(body, 'caseId'), addReason: field(body, 'addReason') },
        status: 400,
      })
    addCase(app.db, scopeOf(request), round.id, caseId, note)
    return redirectWith(reply, `/rounds/${round.id}/moderation`, 'Case added for second marking')
  })

  app.post('/rounds/:id/moderation/:caseId/remove', async (request, reply) => {
    const round = requestedRound(app.db, request)
    const caseId = idParam(request.params, 'caseId')
    const sel = caseId === null ? undefined : selectedCase(app.db, caseId)
    if (!round || !sel || !selectedCases(app.db, round.id).some((c) => c.sampleCaseId === caseId))
      return sendNotFound(reply)
    const body = asBody(request.body)
    const note = field(body, `removeReason-${sel.sampleCaseId}`).trim()
    const errors = noErrors()
    if (round.status !== 'moderation')
      addError(errors, `removeReason-${sel.sampleCaseId}`, 'Cases can only be removed while the round is in moderation')
    reasonError(
      errors,
      `removeReason-${sel.sampleCaseId}`,
      note,
      `Enter why case ${sel.caseRef} should not be second-marked`,
    )
    if (errors.summary.length > 0)
      return renderRound(request, reply, round, {
        errors,
        values: { [`removeReason-${sel.sampleCaseId}`]: field(body, `removeReason-${sel.sampleCaseId}`) },
        status: 400,
      })
    removeCase(app.db, scopeOf(request), sel.sampleCaseId, note)
    return redirectWith(reply, `/rounds/${round.id}/moderation`, `Case ${sel.caseRef} removed from second marking`)
  })

  app.post('/rounds/:id/moderation/:caseId/allocate', async (request, reply) => {
    const round = requestedRound(app.db, request)
    const caseId = idParam(request.params, 'caseId')
    const sel =
      caseId === null ? undefined : selectedCases(app.db, round?.id ?? -1).find((c) => c.sampleCaseId === caseId)
    if (!round || !sel) return sendNotFound(reply)
    const userId = Number(field(asBody(request.body), `marker-${sel.sampleCaseId}`))
    const errors = noErrors()
    const name = `marker-${sel.sampleCaseId}`
    if (round.status !== 'moderation')
      addError(errors, name, 'Second markers can only be allocated while the round is in moderation')
    else if (sel.secondCompletedAt !== null) addError(errors, name, `Case ${sel.caseRef} is already second-marked`)
    else if (!secondMarkerChoices(app.db).some((u) => u.id === userId))
      addError(errors, name, `Select who second-marks case ${sel.caseRef}`)
    else if (userId === sel.auditorId)
      addError(errors, name, `Select someone other than the auditor who first marked case ${sel.caseRef}`)
    if (errors.summary.length > 0) return renderRound(request, reply, round, { errors, status: 400 })
    allocateSecondMarker(app.db, scopeOf(request), sel.sampleCaseId, userId)
    return redirectWith(reply, `/rounds/${round.id}/moderation`, `Second marker allocated to case ${sel.caseRef}`)
  })

  app.get('/rounds/:id/agreement', { preHandler: loadRound }, async (request, reply) => {
    const round = roundOf(request)
    return reply.render('moderation/agreement', {
      ...roundContext(request, round),
      title: `Agreement: ${round.name}`,
      report: agreementReport(app.db, round.id),
      outcomeLabels,
    })
  })

  app.get('/rounds/:id/agreement.csv', { preHandler: loadRound }, async (request, reply) => {
    const round = roundOf(request)
    return sendDownload(
      reply,
      CSV_TYPE,
      `round-${round.id}-agreement.csv`,
      agreementCsv(agreementReport(app.db, round.id)),
    )
  })

  function renderCase(request: FastifyRequest, reply: FastifyReply, caseId: number, extras: Redisplay = {}) {
    const scope = scopeOf(request)
    const ctx = loadCaseContext(app.db, scope, caseId)
    const sel = selectedCase(app.db, caseId)
    if (!ctx || !sel) return sendNotFound(reply)
    // The first marks stay hidden from the second marker until their own marking is complete.
    const blind = blindCaseIds(app.db, scope.userId).has(caseId)
    const marks =
      sel.secondCompletedAt === null || blind
        ? []
        : pairedAnswers(app.db, ctx.rec.roundId).filter((p) => p.sampleCaseId === caseId)
    return reply.render(
      'moderation/case',
      {
        title: `Moderation of case ${sel.caseRef}`,
        rec: ctx.rec,
        sel,
        factsNote: sel.factsAgree === false ? factsNoteOf(app.db, caseId) : null,
        marks,
        open: ctx.rec.roundStatus === 'moderation',
        canReturn: ctx.access.canReturn,
        outcomeLabels,
        outcomeOptions: outcomes.map((value) => ({ value, text: outcomeLabels[value] })),
        errors: extras.errors,
        values: extras.values ?? {},
      },
      { status: extras.status },
    )
  }

  app.get('/moderation/cases/:id', async (request, reply) => {
    const id = idParam(request.params)
    return id === null ? sendNotFound(reply) : renderCase(request, reply, id)
  })

  app.post('/moderation/cases/:id/resolve', async (request, reply) => {
    const id = idParam(request.params)
    const sel = id === null ? undefined : selectedCase(app.db, id)
    const ctx = id === null ? null : loadCaseContext(app.db, scopeOf(request), id)
    if (id === null || !sel || !ctx) return sendNotFound(reply)
    const body = asBody(request.body)
    const key = field(body, 'key')
    const pair =
      sel.secondCompletedAt === null || blindCaseIds(app.db, scopeOf(request).userId).has(id)
        ? undefined
        : pairedAnswers(app.db, ctx.rec.roundId).find(
            (p) => p.sampleCaseId === id && p.obligationKey === key && p.first !== p.second,
          )
    if (!pair) return sendNotFound(reply)
    const fid = `r${pairedAnswers(app.db, ctx.rec.roundId)
      .filter((p) => p.sampleCaseId === id)
      .findIndex((p) => p.obligationKey === key)}`
    const outcome = field(body, `${fid}-outcome`)
    const reason = field(body, `${fid}-reason`).trim()
    const errors = noErrors()
    if (ctx.rec.roundStatus !== 'moderation')
      addError(errors, `${fid}-outcome`, 'Disagreements can only be resolved while the round is in moderation')
    else if (!(outcomes as readonly string[]).includes(outcome))
      addError(errors, `${fid}-outcome`, `Select the final outcome for ${pair.itemId}`)
    reasonError(errors, `${fid}-reason`, reason, `Enter why ${pair.itemId} has this outcome`)
    if (errors.summary.length > 0)
      return renderCase(request, reply, id, {
        errors,
        values: { [`${fid}-outcome`]: outcome, [`${fid}-reason`]: field(body, `${fid}-reason`) },
        status: 400,
      })
    resolveObligation(app.db, scopeOf(request), id, key, outcome as Outcome, reason)
    return redirectWith(reply, `/moderation/cases/${id}`, `Final outcome for ${pair.itemId} recorded`)
  })

  app.post('/moderation/cases/:id/facts', async (request, reply) => {
    const id = idParam(request.params)
    const sel = id === null ? undefined : selectedCase(app.db, id)
    const ctx = id === null ? null : loadCaseContext(app.db, scopeOf(request), id)
    if (
      id === null ||
      !sel ||
      !ctx ||
      sel.factsAgree !== false ||
      blindCaseIds(app.db, scopeOf(request).userId).has(id)
    )
      return sendNotFound(reply)
    const resolution = field(asBody(request.body), 'factsResolution').trim()
    const errors = noErrors()
    if (ctx.rec.roundStatus !== 'moderation')
      addError(errors, 'factsResolution', 'Disagreements can only be resolved while the round is in moderation')
    reasonError(errors, 'factsResolution', resolution, 'Enter how the facts disagreement was settled')
    if (errors.summary.length > 0)
      return renderCase(request, reply, id, {
        errors,
        values: { factsResolution: field(asBody(request.body), 'factsResolution') },
        status: 400,
      })
    resolveFacts(app.db, scopeOf(request), id, resolution)
    return redirectWith(reply, `/moderation/cases/${id}`, 'Facts disagreement resolved')
  })

  app.get('/moderation', async (request, reply) => {
    const scope = scopeOf(request)
    return reply.render('moderation/worklist', {
      title: 'Moderation work',
      work: moderationWork(app.db, scope),
      isModerator: scope.role === 'moderator',
    })
  })

  app.post('/cases/:id/unsure', async (request, reply) => {
    const id = idParam(request.params)
    const ctx = id === null ? null : loadCaseContext(app.db, scopeOf(request), id)
    if (ctx?.access.marker !== 'primary' || !ctx.access.allocated) return sendNotFound(reply)
    const body = asBody(request.body)
    const unsure = field(body, 'unsure') === 'yes'
    const reason = field(body, 'unsureReason').trim()
    const errors = noErrors()
    if (!ctx.access.editable) addError(errors, 'unsureReason', 'This case can no longer be changed')
    else if (unsure) reasonError(errors, 'unsureReason', reason, 'Enter what you are unsure about')
    if (errors.summary.length > 0) {
      return reply.render(
        'moderation/unsure',
        { title: `Case ${ctx.rec.caseRef}: unsure`, rec: ctx.rec, errors, value: field(body, 'unsureReason') },
        { status: 400 },
      )
    }
    setUnsure(app.db, scopeOf(request), ctx.rec, unsure, unsure ? reason : null)
    return reply.redirect(`/cases/${ctx.rec.id}?done=unsure`, 303)
  })
}

export default moderationRoutes
