// What every rounds route shares: who may do what, finding the round, and the success message.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../../../schema/database.ts'
import { isReadOnly, nextStage } from '../../../audits/round-lifecycle.ts'
import { idParam } from '../../forms.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { getRound, type Round } from '../../services/rounds/queries.ts'
import { roundLabels } from './labels.ts'
import { urlRecord } from '../url-record.ts'

/** The round named by the URL's `:id`, whatever its stage (round pages are for staff who see them all). */
export function requestedRound(db: Db, request: FastifyRequest): Round | undefined {
  const id = idParam(request.params)
  return id === null ? undefined : getRound(db, id)
}

// Most round routes start the same way: the round named by the URL, or 404. The handler then reads
// it with roundOf(request).
const roundRecord = urlRecord((request, id) => getRound(request.server.db, id))
export const loadRound = roundRecord.load()
export const roundOf = roundRecord.of

/** Redirect after a change, with its one-line success message shown on the next page. */
export function redirectWith(reply: FastifyReply, path: string, done: string): FastifyReply {
  return reply.flash(done).redirect(path, 303)
}

/** Data every round page template uses. */
export function roundContext(request: FastifyRequest, round: Round) {
  const scope = scopeOf(request)
  return {
    round,
    labels: roundLabels,
    canManage: scope.role === 'admin' && !isReadOnly(round.status),
    isAdmin: scope.role === 'admin',
    readOnly: isReadOnly(round.status),
    next: nextStage(round.status),
  }
}
