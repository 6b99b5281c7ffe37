// Moderation end to end through the screens: selection as the round enters moderation, blind
// second marking on the review form, the agreement report, resolution, and the publish gate.
import t from 'tap'
import { signedIn, flashOf, type Session } from '../fixtures/app.ts'
import { answerFields, answerUrl, auditEntries, formFieldsOf, htmx, reviewSetup, userIdOf } from '../fixtures/review.ts'
import { selectForModeration } from '../../audits/moderation-selection.ts'
import { cohenKappa, gwetAC1, percentAgreement } from '../../audits/agreement.ts'
import { selectionCandidates, pairedAnswers } from '../../server/services/moderation/queries.ts'
import { selectionSeed } from '../../server/services/moderation/writes.ts'
import { roundRollup } from '../../server/services/scores/rollup-queries.ts'

// Each case's first marks carry a note found nowhere else, so a leak shows up in any body.
const SECRET_BURGLARY = 'first-marks-of-burglary-7Q'
const SECRET_OTHERS = 'first-marks-of-others-9Z'
const ARREST = 'R6.2@2023-03-08#1'

/** Gives every obligation on the page `outcome` through the one form, as without script. */
async function answerEverything(s: Session, caseId: number, outcome: string, note = ''): Promise<void> {
  const page = await s.get(`/cases/${caseId}`)
  const form = formFieldsOf(page.body)
  for (const name of Object.keys(form)) {
    if (!name.endsWith('-version')) continue
    form[name.replace(/-version$/, '-outcome')] = outcome
    if (note) form[name.replace(/-version$/, '-note')] = note
  }
  const res = await s.post(`/cases/${caseId}`, form)
  if (res.statusCode !== 303)
    throw new Error(`answering everything failed: ${res.statusCode} ${res.body.slice(0, 2000)}`)
}

function formAction(html: string, qa: string): string {
  const m = new RegExp(`<form method="post" action="([^"]+)"[^>]*data-qa="${qa}"`).exec(html)
  if (!m?.[1]) throw new Error(`no form ${qa}`)
  return m[1]
}

/** Every page reachable by following links from `start`, as this user; bodies by URL. */
async function walk(s: Session, starts: string[], limit = 400): Promise<Map<string, string>> {
  const seen = new Map<string, string>()
  const queue = [...starts]
  while (queue.length > 0 && seen.size < limit) {
    const url = queue.shift() as string
    if (seen.has(url)) continue
    const res = await s.get(url)
    seen.set(url, `${res.statusCode} ${res.body}`)
    if (res.statusCode !== 200 || !String(res.headers['content-type']).includes('html')) continue
    for (const m of res.body.matchAll(/href="(\/[^"#]*)/g)) {
      const next = (m[1] as string).replace(/&amp;/g, '&')
      if (next.startsWith('/assets') || next.startsWith('/govuk') || next.startsWith('/htmx') || next === '/sign-out')
        continue
      if (!seen.has(next)) queue.push(next)
    }
  }
  return seen
}

t.test('moderation: selection, blind second marking, agreement, resolution and the publish gate', async (t) => {
  const { app, db, roundId, burglaryId, domesticAbuseId, othersId, auditor } = await reviewSetup(t)
  const auditor2 = await signedIn(app, 'auditor2@qaf.example')
  const admin = await signedIn(app, 'admin@qaf.example')
  const moderator = await signedIn(app, 'moderator@qaf.example')

  // The auditor flags a case as unsure through the case page's own form.
  const casePage = await auditor.get(`/cases/${burglaryId}`)
  const unsureAction = formAction(casePage.body, 'unsure-form')
  const refused = await auditor.post(unsureAction, { unsure: 'yes', unsureReason: '' })
  t.equal(refused.statusCode, 400)
  t.match(refused.body, /govuk-error-summary[\s\S]*Enter what you are unsure about/)
  t.equal(
    (await auditor.post(unsureAction, { unsure: 'yes', unsureReason: 'Not sure the arrest update counts' })).statusCode,
    303,
  )
  t.match(auditEntries(db, 'case_unsure_flag')[0], { after: { unsure: true } })

  await answerEverything(auditor, burglaryId, 'not_met', SECRET_BURGLARY)
  await answerEverything(auditor, domesticAbuseId, 'met', 'an ordinary note')
  await answerEverything(auditor2, othersId, 'met', SECRET_OTHERS)
  for (const [s, id] of [
    [auditor, burglaryId],
    [auditor, domesticAbuseId],
    [auditor2, othersId],
  ] as const)
    t.equal((await s.post(`/cases/${id}/complete`, {})).statusCode, 303)

  // Moving a round on is the admin's, except that a moderator publishes.
  t.equal((await moderator.post(`/rounds/${roundId}/status/moderation`, {})).statusCode, 404)
  // Into moderation: the seeded selection (10% of 3 is one case, but the unsure case and one per auditor).
  t.equal((await admin.post(`/rounds/${roundId}/status/moderation`, {})).statusCode, 303)
  const chosen = db.$client
    .prepare('SELECT sample_case_id AS id, reason FROM moderation_cases WHERE round_id = ? ORDER BY sample_case_id')
    .all(roundId) as Array<{ id: number; reason: string }>
  t.same(
    chosen,
    [
      { id: burglaryId, reason: 'unsure' },
      { id: othersId, reason: 'auditor' },
    ].sort((a, b) => a.id - b.id),
  )
  const again = selectForModeration(selectionCandidates(db, roundId), 0.1, selectionSeed(db, roundId))
  t.same(again.map((c) => c.reason).sort(), ['auditor', 'unsure'], 'the same selection is reproduced from the seed')

  // The moderation page lists them; a moderator adds and removes one with a reason.
  const modPage = await moderator.get(`/rounds/${roundId}/moderation`)
  t.match(modPage.body, /Flagged unsure by the auditor/)
  const add = await moderator.post(`/rounds/${roundId}/moderation/add`, {
    caseId: String(domesticAbuseId),
    addReason: '',
  })
  t.equal(add.statusCode, 400)
  t.match(add.body, /Enter why the case should be second-marked/)
  t.equal(
    (
      await moderator.post(`/rounds/${roundId}/moderation/add`, {
        caseId: String(domesticAbuseId),
        addReason: 'Check the new auditor',
      })
    ).statusCode,
    303,
  )
  t.equal(
    (
      await moderator.post(`/rounds/${roundId}/moderation/${domesticAbuseId}/remove`, {
        [`removeReason-${domesticAbuseId}`]: 'Second thoughts: enough cases',
      })
    ).statusCode,
    303,
  )
  t.equal(auditEntries(db, 'moderation_case_added').length, 1)
  t.match(auditEntries(db, 'moderation_case_removed')[0], { after: { reason: 'Second thoughts: enough cases' } })

  // The admin allocates second markers, never the case's own auditor.
  const self = await admin.post(`/rounds/${roundId}/moderation/${burglaryId}/allocate`, {
    [`marker-${burglaryId}`]: String(userIdOf(db, 'auditor@qaf.example')),
  })
  t.equal(self.statusCode, 400)
  t.equal(
    (
      await admin.post(`/rounds/${roundId}/moderation/${burglaryId}/allocate`, {
        [`marker-${burglaryId}`]: String(userIdOf(db, 'auditor2@qaf.example')),
      })
    ).statusCode,
    303,
  )
  t.equal(
    (
      await admin.post(`/rounds/${roundId}/moderation/${othersId}/allocate`, {
        [`marker-${othersId}`]: String(userIdOf(db, 'moderator@qaf.example')),
      })
    ).statusCode,
    303,
  )

  // Publishing is refused while second marking is outstanding, with links to each case.
  const early = await admin.post(`/rounds/${roundId}/status/published`, {})
  t.equal(early.statusCode, 400)
  t.match(early.body, /Second-mark every case chosen for moderation: 2 cases are not second-marked yet/)
  t.match(early.body, new RegExp(`data-qa="outstanding-mark"[\\s\\S]*href="/moderation/cases/${burglaryId}"`))

  // Blind: nothing either second marker can reach shows the first marks.
  const home2 = await auditor2.get('/')
  t.match(home2.body, /1 case to second-mark/)
  // auditor2 second-marks the burglary case, the moderator auditor2's own case.
  for (const [who, s, secret] of [
    ['auditor2', auditor2, SECRET_BURGLARY],
    ['moderator', moderator, SECRET_OTHERS],
  ] as const) {
    const pages = await walk(s, [
      '/',
      '/moderation',
      '/worklist',
      `/cases/${burglaryId}`,
      `/cases/${othersId}`,
      `/moderation/cases/${burglaryId}`,
      `/moderation/cases/${othersId}`,
      `/rounds/${roundId}/agreement`,
      `/rounds/${roundId}/agreement.csv`,
    ])
    t.ok(pages.size > 5, `${who} walked ${pages.size} pages`)
    const leaks = [...pages].filter(([, body]) => body.includes(secret)).map(([url]) => url)
    t.same(leaks, [], `${who}: no page shows the first marks of the case they second-mark`)
  }
  const blindScores = await moderator.get(
    `/scores/rounds/${roundId}/agencies/${db.$client.prepare('SELECT agency_id AS a FROM answers WHERE sample_case_id = ? AND agency_id IS NOT NULL LIMIT 1').get(othersId) ? (db.$client.prepare('SELECT agency_id AS a FROM answers WHERE sample_case_id = ? AND agency_id IS NOT NULL LIMIT 1').get(othersId) as { a: number }).a : 0}/items/R6.2`,
  )
  t.notMatch(blindScores.body, /CUM-2023-0777/, 'the scores drill-down leaves out the case being second-marked')

  // Second marking on the same form: the page shows none of the auditor's answers.
  const secondPage = await auditor2.get(`/cases/${burglaryId}`)
  t.match(secondPage.body, /data-qa="second-marking"/)
  t.notMatch(secondPage.body, /Not met<\/dd>|data-qa="answer-outcome">Not met/)
  // Autosave works for the second marker and writes a 'second' answer, leaving the first alone.
  const auto = await auditor2.post(
    answerUrl(burglaryId, ARREST),
    answerFields(ARREST, { outcome: 'met', evidence: '2023-03-09' }),
    { headers: htmx },
  )
  t.equal(auto.statusCode, 200)
  const stored = db.$client
    .prepare('SELECT marker, outcome FROM answers WHERE sample_case_id = ? AND obligation_key = ? ORDER BY marker')
    .all(burglaryId, ARREST)
  t.same(stored, [
    { marker: 'primary', outcome: 'not_met' },
    { marker: 'second', outcome: 'met' },
  ])
  // The facts stay the auditor's.
  t.equal((await auditor2.post(`/cases/${burglaryId}/facts`, { offenceGroup: 'theft' })).statusCode, 409)
  await answerEverything(auditor2, burglaryId, 'met')
  const noFacts = await auditor2.post(`/cases/${burglaryId}/complete`, {})
  t.equal(noFacts.statusCode, 400)
  t.match(noFacts.body, /Select whether the case facts are right/)
  t.equal(
    (
      await auditor2.post(`/cases/${burglaryId}/complete`, {
        factsAgree: 'no',
        factsNote: 'The victim was also intimidated',
      })
    ).statusCode,
    303,
  )
  await answerEverything(moderator, othersId, 'met')
  t.equal((await moderator.post(`/cases/${othersId}/complete`, { factsAgree: 'yes' })).statusCode, 303)

  // Agreement report: the figures of audits/agreement.ts over the paired answers.
  const pairs = pairedAnswers(db, roundId).map((p) => [p.first, p.second] as const)
  t.ok(pairs.length > 10)
  const report = await moderator.get(`/rounds/${roundId}/agreement`)
  t.equal(report.statusCode, 200)
  t.match(
    report.body,
    new RegExp(
      `Agreement</dt><dd class="govuk-summary-list__value">${((percentAgreement(pairs) as number) * 100).toFixed(1)}%`,
    ),
  )
  const kappa = cohenKappa(pairs)
  t.match(
    report.body,
    new RegExp(`Cohen's kappa</dt><dd class="govuk-summary-list__value">${kappa === null ? 'n/a' : kappa.toFixed(2)}`),
  )
  const ac1 = gwetAC1(pairs)
  t.match(
    report.body,
    new RegExp(`AC1</dt><dd class="govuk-summary-list__value">${ac1 === null ? 'n/a' : ac1.toFixed(2)}`),
  )
  t.match(report.body, /1 of 2 cases where the second marker found the recorded facts wrong/)
  t.match(report.body, new RegExp(`data-qa="disagreements"[\\s\\S]*href="/moderation/cases/${burglaryId}"`))
  const csv = await moderator.get(`/rounds/${roundId}/agreement.csv`)
  t.match(csv.headers['content-type'], /text\/csv/)
  t.match(csv.body, /level,key,title,pairs,agreed,percent_agreement,kappa/)

  // The moderator's worklist and home page count what is waiting.
  const work = await moderator.get('/moderation')
  t.match(work.body, /data-qa="count-to-mark">0</)
  t.match(work.body, /data-qa="count-to-resolve">1</)
  t.match((await moderator.get('/')).body, /0 cases to second-mark, 1 case with disagreements to resolve/)

  // Still refused: disagreements are unresolved.
  const stillRefused = await admin.post(`/rounds/${roundId}/status/published`, {})
  t.equal(stillRefused.statusCode, 400)
  t.match(stillRefused.body, /Resolve every disagreement: 1 case has disagreements not yet resolved/)

  // Scores count the first marks until the moderator resolves.
  const agencyOf = (
    db.$client
      .prepare('SELECT agency_id AS a FROM answers WHERE sample_case_id = ? AND obligation_key = ?')
      .get(burglaryId, ARREST) as { a: number }
  ).a
  const before = roundRollup(db, roundId, null, ['agency_item']).get('agency_item', agencyOf, 'R6.2').outcomes
  t.ok(before.notMet >= 1, 'the auditor’s not met counts before resolution')

  // Resolution: the case page shows the three marks and a form for each disagreement.
  const mcase = await moderator.get(`/moderation/cases/${burglaryId}`)
  t.match(mcase.body, /data-qa="mark-R6.2"[\s\S]*?Not met[\s\S]*?Met/)
  const resolveForms = [
    ...mcase.body.matchAll(
      /<form method="post" action="([^"]+)" novalidate data-qa="resolve-[^"]+">([\s\S]*?)<\/form>/g,
    ),
  ]
  t.ok(resolveForms.length > 1)
  const bad = await moderator.post(resolveForms[0]?.[1] as string, {
    key: /name="key" value="([^"]+)"/.exec(resolveForms[0]?.[2] as string)?.[1] as string,
  })
  t.equal(bad.statusCode, 400)
  t.match(bad.body, /Select the final outcome/)
  for (const [, action, inner] of resolveForms) {
    const key = (/name="key" value="([^"]+)"/.exec(inner as string)?.[1] ?? '')
      .replace(/&amp;/g, '&')
      .replace(/&#39;/g, "'")
    const outcomeName = /name="(r\d+-outcome)"/.exec(inner as string)?.[1] as string
    const reasonName = /name="(r\d+-reason)"/.exec(inner as string)?.[1] as string
    const res = await moderator.post(action as string, {
      key,
      [outcomeName]: 'met',
      [reasonName]: 'The file shows the update was given',
    })
    t.equal(res.statusCode, 303, `resolved ${key}`)
  }
  t.equal(
    (await moderator.post(`/moderation/cases/${burglaryId}/facts`, { factsResolution: 'Outcomes unchanged' }))
      .statusCode,
    303,
  )
  const after = roundRollup(db, roundId, null, ['agency_item']).get('agency_item', agencyOf, 'R6.2').outcomes
  t.same(
    [after.met, after.notMet],
    [before.met + 1, before.notMet - 1],
    'scores use the resolved answer, not the first or second marking',
  )
  const history = await moderator.get(`/moderation/cases/${burglaryId}`)
  t.match(
    history.body,
    /data-qa="mark-R6.2"[\s\S]*?Not met[\s\S]*?Ash Auditor[\s\S]*?Met[\s\S]*?Sam Second-Auditor[\s\S]*?<strong>Met<\/strong>: The file shows the update was given[\s\S]*?Morgan Moderator/,
  )
  t.match(history.body, /return the case to the auditor/, 'returning the case stays available')

  // Now the round publishes, is frozen and the change is logged.
  const publish = await moderator.post(`/rounds/${roundId}/status/published`, {})
  t.equal(publish.statusCode, 303)
  t.match(flashOf(publish), /published/)
  t.equal(
    (db.$client.prepare('SELECT status FROM rounds WHERE id = ?').get(roundId) as { status: string }).status,
    'published',
  )
  t.match(auditEntries(db, 'round_status_changed').at(-1), { after: { status: 'published' } })
  const late = await moderator.post(`/moderation/cases/${burglaryId}/facts`, { factsResolution: 'x' })
  t.equal(late.statusCode, 400)
  t.match(late.body, /only be resolved while the round is in moderation/)
  const frozen = await moderator.post(resolveForms[0]?.[1] as string, { key: 'x' })
  t.equal(frozen.statusCode, 404)
})
