// Raising a finding: choose the round and agency (or arrive from a score with them and the item
// chosen), then the finding itself with the evidence it rests on.
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { initialStatus } from '../../../audits/findings.ts'
import { getItem, headingItems, headingItemsOnly } from '../../../audits/frameworks/index.ts'
import { scopeOf } from '../../plugins/auth.ts'
import { sendNotFound } from '../../plugins/errors.ts'
import { addError, idParam, noErrors, parseForm, submittedValues, type FormErrors } from '../../forms.ts'
import type { Scope } from '../../scope.ts'
import { wording } from '../../services/scores/figures.ts'
import { agencyOptions, findAgency, findRound, visibleRounds } from '../../services/scores/rounds-queries.ts'
import { itemOptions, severityOptions } from './labels.ts'
import { actorFor } from '../../services/findings/visibility.ts'
import { sampledCaseRefs } from '../../services/findings/finding-queries.ts'
import { createFinding } from '../../services/findings/writes.ts'
import { evidenceFor, shortfallCases } from '../../services/findings/evidence.ts'
import { findingSchema, list, splitRefs } from './forms.ts'

const newFindingRoutes: FastifyPluginAsync = async (app) => {
  const db = app.db

  // Step one without a score to start from: choose the round and agency (a GET form, no script).
  app.get('/findings/new', async (request, reply) => {
    const scope = scopeOf(request)
    const q = (request.query ?? {}) as Record<string, unknown>
    const roundId = idParam(q, 'round')
    const agencyId = idParam(q, 'agency')
    const round = roundId === null ? undefined : findRound(db, scope, roundId)
    const agency = agencyId === null ? undefined : findAgency(db, scope, agencyId)
    if (!round || !agency) {
      const chosen = q.round !== undefined || q.agency !== undefined
      const errors = chosen
        ? (() => {
            const e = noErrors()
            if (!round) addError(e, 'round', 'Select the round the finding comes from')
            if (!agency) addError(e, 'agency', 'Select the agency the finding is about')
            return e
          })()
        : undefined
      return reply.render(
        'findings/choose',
        {
          rounds: visibleRounds(db, scope).reverse(),
          agencies: agencyOptions(db, scope),
          values: { round: q.round ?? '', agency: q.agency ?? '' },
          errors,
        },
        { status: chosen ? 400 : 200 },
      )
    }
    const item = typeof q.item === 'string' ? getItem(q.item) : undefined
    const itemIds = item && headingItems(round.framework, round.edition).includes(item) ? [item.id] : []
    const refs = itemIds.length > 0 ? shortfallCases(db, round.id, agency.id, itemIds[0] as string) : []
    return renderNew(reply, scope, round.id, agency.id, {
      items: itemIds,
      caseRefs: refs.join('\n'),
      title: item && itemIds.length > 0 ? `${item.id} ${item.title}` : '',
    })
  })

  function renderNew(
    reply: FastifyReply,
    scope: Scope,
    roundId: number,
    agencyId: number,
    values: Record<string, unknown>,
    errors?: FormErrors,
    status = 200,
  ) {
    const round = findRound(db, scope, roundId)
    const agency = findAgency(db, scope, agencyId)
    if (!round || !agency) return sendNotFound(reply)
    const items = headingItems(round.framework, round.edition)
    const picked = (values.items as string[] | undefined) ?? []
    return reply.render(
      'findings/new',
      {
        round,
        agency,
        itemOptions: itemOptions(items),
        evidence: evidenceFor(
          db,
          round,
          agency.id,
          picked.filter((id) => items.some((i) => i.id === id)),
        ),
        severityOptions,
        proposing: scope.role === 'advocate',
        values,
        errors,
        f: wording,
      },
      { status },
    )
  }

  app.post('/findings/new', async (request, reply) => {
    const scope = scopeOf(request)
    const body = (request.body ?? {}) as Record<string, unknown>
    const round = idParam(body, 'round') === null ? undefined : findRound(db, scope, idParam(body, 'round') as number)
    const agency =
      idParam(body, 'agency') === null ? undefined : findAgency(db, scope, idParam(body, 'agency') as number)
    if (!round || !agency) return sendNotFound(reply)
    const values = { ...submittedValues(body), items: list.parse(body.items) }
    const form = parseForm(findingSchema, body)
    const errors = form.ok ? noErrors() : form.errors
    const roundItems = headingItems(round.framework, round.edition)
    const itemIds = form.ok ? form.data.items : []
    if (itemIds.some((id) => !roundItems.some((i) => i.id === id)))
      addError(errors, 'items', headingItemsOnly(round.framework, round.edition))
    const refs = form.ok ? splitRefs(form.data.caseRefs) : []
    if (refs.length > 200) addError(errors, 'caseRefs', 'List at most 200 case references')
    else if (refs.length > 0) {
      const known = sampledCaseRefs(db, round.id)
      const unknown = refs.filter((r) => !known.has(r))
      const named = `${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ' and others' : ''}`
      if (unknown.length > 0)
        addError(
          errors,
          'caseRefs',
          unknown.length === 1
            ? `${named} is not a sampled case of ${round.name}`
            : `${named} are not sampled cases of ${round.name}`,
        )
    }
    const status = initialStatus(actorFor(scope, agency.id))
    if (!form.ok || errors.summary.length > 0 || status === null)
      return renderNew(reply, scope, round.id, agency.id, values, errors, 400)
    const id = createFinding(db, scope, {
      round,
      agencyId: agency.id,
      title: form.data.title,
      itemIds,
      caseRefs: refs,
      severity: form.data.severity,
      recommendation: form.data.recommendation,
      status,
    })
    reply.flash(
      status === 'proposed' ? 'Finding proposed: a moderator will accept or decline it' : 'Finding raised as a draft',
    )
    return reply.redirect(`/findings/${id}`, 303)
  })
}

export default newFindingRoutes
