// Case review: the auditor's worklist and case page. Saving answers (answer-routes.ts), the facts
// (facts-routes.ts) and completing, returning or reporting a case unusable (case-actions.ts) are
// registered from here.
import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { caseStatuses, type CaseStatus } from '../../../audits/vocabulary.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { wantsFragment } from '../../plugins/views.ts'
import { caseStatusLabels } from '../../../audits/vocabulary.ts'
import { worklistSorts, type WorklistSort } from '../../services/review/worklist-queries.ts'
import { worklistRows } from './worklist.ts'
import answerRoutes from './answer-routes.ts'
import caseActionRoutes from './case-actions.ts'
import factsRoutes from './facts-routes.ts'
import { caseOf, loadCase, notices, renderCase, type Notice } from './case-page.ts'

const sortOptions: Array<{ value: WorklistSort; text: string }> = [
  { value: 'status', text: 'Status (returned cases first)' },
  { value: 'ref', text: 'Case reference' },
  { value: 'progress', text: 'Least answered first' },
  { value: 'updated', text: 'Most recently changed' },
]

const caseQuery = z.object({
  group: z.enum(['theme', 'right']).catch('theme'),
  done: z
    .enum(Object.keys(notices) as [Notice, ...Notice[]])
    .optional()
    .catch(undefined),
})

const worklistQuery = z.object({
  status: z.enum(caseStatuses).optional().catch(undefined),
  sort: z.enum(worklistSorts).catch('status'),
  show: z.enum(['mine', 'everyone']).catch('mine'),
})

const reviewRoutes: FastifyPluginAsync = async (app) => {
  await app.register(answerRoutes)
  await app.register(factsRoutes)
  await app.register(caseActionRoutes)

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
}

export default reviewRoutes
