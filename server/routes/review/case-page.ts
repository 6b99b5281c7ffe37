// What every case route shares: loading the case this user may read (the preHandlers), refusing a
// change that is not theirs to make, drawing the case page again, and the address to go back to.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Applicability } from '../../../audits/applicability.ts'
import type { FormErrors } from '../../forms.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { wantsFragment } from '../../plugins/views.ts'
import { loadCaseContext, type CaseContext } from '../../services/review/case-context.ts'
import type { FactsValues } from '../../services/review/facts-form.ts'
import { loadAnswers } from '../../services/review/queries.ts'
import { caseStatusLabels } from '../../../audits/vocabulary.ts'
import { derivedView, progressView, type GroupBy, type ItemOverlay } from './case-view.ts'
import { factsOptions } from './case-options.ts'
import type { ConfirmView } from './whole-form.ts'
import { urlRecord } from '../url-record.ts'

/** Banners after a redirect: fixed messages, so nothing from the address is echoed onto the page. */
export const notices = {
  saved: 'Your answers have been saved',
  facts: 'The case facts have been saved',
  complete: 'The case is complete',
  returned: 'The case has been returned to the auditor',
  unusable: 'The case has been reported as unusable. An administrator will replace it.',
  secondMarked: 'Your second marking is complete',
  unsure: 'Your note that you are unsure of this case has been saved',
} as const

export type Notice = keyof typeof notices

export function groupOf(value: string): GroupBy {
  return value === 'right' ? 'right' : 'theme'
}

export function caseUrl(id: number, group: GroupBy, done?: Notice, anchor?: string): string {
  const q = new URLSearchParams()
  if (group !== 'theme') q.set('group', group)
  if (done) q.set('done', done)
  const qs = q.toString()
  return `/cases/${id}${qs ? `?${qs}` : ''}${anchor ? `#${anchor}` : ''}`
}

export interface PageExtras {
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

export function renderCase(reply: FastifyReply, ctx: CaseContext, group: GroupBy, extras: PageExtras = {}) {
  const answers = loadAnswers(reply.server.db, ctx.rec.id, ctx.access.marker)
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

/** A refused change (409): a line in place for htmx, else a page saying why. */
export function renderLocked(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: CaseContext,
  message: string,
  title = 'This case cannot be changed',
): FastifyReply {
  if (wantsFragment(request)) return reply.render('review/_locked', { message }, { status: 409 })
  return reply.render('review/locked', { title, message, caseId: ctx.rec.id }, { status: 409 })
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
  return renderLocked(request, reply, ctx, why)
}

/** The facts, and whether the case can be audited at all, are the first marker's to record. */
function refuseSecondMarker(request: FastifyRequest, reply: FastifyReply, ctx: CaseContext): FastifyReply | null {
  if (ctx.access.marker === 'primary') return null
  return renderLocked(
    request,
    reply,
    ctx,
    'You are second-marking this case: the case facts are the auditor’s to record.',
  )
}

// Every case route starts the same way: the case this user may read, or 404; and for a change,
// refused unless it is theirs to change. The handler then reads it with caseOf(request).
const caseRecord = urlRecord((request, id) => loadCaseContext(request.server.db, scopeOf(request), id))
export const caseOf = caseRecord.of
export const loadCase = caseRecord.load()
export const loadCaseToEdit = caseRecord.load(refuseEdit)
/** Like loadCaseToEdit, for what only the first marker records. */
export const loadCaseForFirstMarker = caseRecord.load(
  (request, reply, ctx) => refuseEdit(request, reply, ctx) ?? refuseSecondMarker(request, reply, ctx),
)
