// The observation named in the URL, as the signed-in user may reach it; otherwise the not-found page.
// The handler reads it with observationOf(request).
import { mayChangeObservation } from '../../access.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { getObservation } from '../../services/advocate/observations.ts'
import { urlRecord } from '../url-record.ts'

const observation = urlRecord((request, id) => getObservation(request.server.db, scopeOf(request), id))
export const observationOf = observation.of

/** The observation in the URL when this user may read it. */
export const loadObservation = observation.load()

/** The observation in the URL when this user wrote it; anyone else gets the not-found page. */
export const loadOwnObservation = observation.load((request, reply, o) =>
  mayChangeObservation(scopeOf(request), o.authorId) ? null : sendNotFound(reply),
)
