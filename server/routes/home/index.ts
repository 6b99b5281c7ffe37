import type { FastifyPluginAsync } from 'fastify'
import { scopeOf } from '../../plugins/auth.ts'
import { homeSummary } from '../../services/home/queries.ts'
import { moderationWork } from '../../services/moderation/queries.ts'
import { todayIso } from '../../../audits/calendar.ts'
import { findingCounts, liveActions } from '../../services/findings/navigation-counts.ts'
import { findingWords } from '../findings/labels.ts'
import { agencyHome } from '../../services/agency-portal/home-model.ts'
import { wording } from '../../services/scores/figures.ts'
import { advocateHome } from '../../services/advocate/home.ts'
import { countObservations } from '../../services/advocate/observations.ts'
import { mayOpen } from '../../access.ts'
import { observationWords } from '../advocate/labels.ts'

export interface HomeRoutesOptions {
  /** Keys the anonymised comparison's letters (see agency-portal/home-model.ts lettersSeed). */
  lettersSecret: string
}

const homeRoutes: FastifyPluginAsync<HomeRoutesOptions> = async (app, opts) => {
  app.get('/', async (request, reply) => {
    const scope = scopeOf(request)
    const work = scope.role === 'auditor' || scope.role === 'moderator' ? moderationWork(app.db, scope) : null
    const today = todayIso()
    return reply.render('home/index', {
      ...homeSummary(app.db, scope),
      moderation: work && { toMark: work.toMark.length, toResolve: work.toResolve.length },
      findings: findingCounts(app.db, scope, today),
      liveActions: liveActions(app.db, scope, today),
      agency: scope.role === 'agency' ? agencyHome(app.db, scope, opts.lettersSecret) : null,
      fw: findingWords,
      f: wording,
      advocate: scope.role === 'advocate' ? advocateHome(app.db, scope) : null,
      // Everyone else who reads observations sees how many have been shared with them.
      sharedObservations:
        scope.role !== 'advocate' && mayOpen(scope.role, '/observations') ? countObservations(app.db, scope) : null,
      ow: observationWords,
    })
  })
}
export default homeRoutes
