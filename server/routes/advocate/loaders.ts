// The observation named in the URL, as the signed-in user may reach it; otherwise the not-found page.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from '../../../schema/database.ts'
import { mayChangeObservation } from '../../access.ts'
import { idParam } from '../../forms.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { getObservation, type ObservationDetail } from '../../services/advocate/observations.ts'

/** The observation in the URL when this user may read it. */
export function visibleObservation(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
): ObservationDetail | undefined {
  const id = idParam(request.params)
  const o = id === null ? undefined : getObservation(db, scopeOf(request), id)
  if (!o) sendNotFound(reply)
  return o
}

/** The observation in the URL when this user wrote it; anyone else gets the not-found page. */
export function ownObservation(db: Db, request: FastifyRequest, reply: FastifyReply): ObservationDetail | undefined {
  const scope = scopeOf(request)
  const id = idParam(request.params)
  const o = id === null ? undefined : getObservation(db, scope, id)
  if (!o || !mayChangeObservation(scope, o.authorId)) {
    sendNotFound(reply)
    return undefined
  }
  return o
}
