// Findings through the screens: raised from a score with its figures, validated, moved along its
// path by the right people, actions and progress, carry-forward from later rounds, exports,
// the report section and the audit log.
import t from 'tap'
import { sql } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import { buildTestApp, flashOf, signedIn } from '../fixtures/app.ts'
import { addCase, addMany, createRound, seedScenario, times } from '../fixtures/scores.ts'
import { byQa, rowsByQa, textOf } from '../fixtures/html.ts'
import { formFields, seedFindings } from '../fixtures/findings.ts'
import { auditEntries } from '../fixtures/review.ts'
import type { Db } from '../../schema/database.ts'

function findingCount(db: Db): number {
  return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM findings`)?.n ?? 0
}
function logCount(db: Db): number {
  return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`)?.n ?? 0
}
function hrefOf(html: string, qa: string): string {
  const m = new RegExp(`href="([^"]+)"[^>]*data-qa="${qa}"`).exec(html)
  if (!m?.[1]) throw new Error(`no link ${qa}`)
  return m[1].replace(/&amp;/g, '&')
}

t.test('a moderator raises a finding from a score, pre-filled with its figures and cases', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const moderator = await signedIn(app, 'moderator@qaf.example')
  const agencyPage = await moderator.get(`/scores/rounds/${s.roundA}/agencies/${s.police}`)
  const itemHref = /href="(\/scores\/rounds\/\d+\/agencies\/\d+\/items\/R6\.2)"/.exec(agencyPage.body)?.[1]
  t.ok(itemHref, 'the agency page links to the item drill-down')
  const itemPage = await moderator.get(itemHref as string)
  t.match(textOf(itemPage.body), /50\.0% \(n = 2\)/, 'R6.2: 1 of 2 met')
  const form = await moderator.get(hrefOf(itemPage.body, 'raise-finding'))
  t.equal(form.statusCode, 200)
  t.match(
    rowsByQa(form.body, 'evidence-row')[0],
    /R6\.2 .* 50\.0% \(n = 2\), 1 met/,
    'the same figure, shown as the evidence',
  )
  const fields = formFields(form.body, '/findings/new')
  t.same(fields.items, 'R6.2', 'the item is ticked')
  t.equal(fields.caseRefs, 'A-0001', 'the case not met is listed by reference')
  t.match(String(fields.title), /^R6\.2 /)

  const res = await moderator.post('/findings/new', {
    ...fields,
    severity: 'high',
    recommendation: 'Give victims updates within the time limit.',
  })
  t.equal(res.statusCode, 303)
  t.equal(flashOf(res), 'Finding raised as a draft')
  const page = await moderator.get(res.headers.location as string)
  t.match(textOf(page.body), /Draft/)
  t.match(rowsByQa(page.body, 'evidence-row')[0], /50\.0% \(n = 2\), 1 met/)
  t.match(textOf(page.body), /95% interval/)
  t.match(page.body, /Sampled cases \(pseudonymised references\): A-0001/)
  const [entry] = auditEntries(db, 'finding_raised')
  t.match(
    entry?.after,
    { status: 'draft', severity: 'high', itemIds: '["R6.2"]', caseRefs: '["A-0001"]' },
    'logged with the whole record',
  )
  t.equal(entry?.actorEmail, 'moderator@qaf.example')
})

t.test('bad input: the form again with a GOV.UK error summary, nothing written', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const moderator = await signedIn(app, 'moderator@qaf.example')
  const before = [findingCount(db), logCount(db)]
  const empty = await moderator.post('/findings/new', { round: String(s.roundA), agency: String(s.police) })
  t.equal(empty.statusCode, 400)
  t.match(empty.body, /govuk-error-summary/)
  for (const text of [
    'Enter a short title for the finding',
    'Select at least one item the finding concerns',
    'Select how serious the finding is',
    'Enter the recommendation',
  ])
    t.match(empty.body, text)
  t.match(empty.body, /<title>Error: /)
  const badRef = await moderator.post('/findings/new', {
    round: String(s.roundA),
    agency: String(s.police),
    title: 'x',
    items: 'R3.1',
    severity: 'low',
    recommendation: 'y',
    caseRefs: 'A-0001\nJOHN SMITH',
  })
  t.equal(badRef.statusCode, 400)
  t.match(
    badRef.body,
    'JOHN, SMITH are not sampled cases of Spring 2024 audit',
    'only references from the sample: no names',
  )
  t.match(badRef.body, /JOHN SMITH<\/textarea>/, 'what was typed is shown again')
  const wrongEdition = await moderator.post('/findings/new', {
    round: String(s.roundA),
    agency: String(s.police),
    title: 'x',
    items: 'V15-P01',
    severity: 'low',
    recommendation: 'y',
  })
  t.equal(wrongEdition.statusCode, 400)
  t.match(wrongEdition.body, 'Select items of the 2020 Code only')
  const chooser = await moderator.get('/findings/new?round=abc&agency=')
  t.equal(chooser.statusCode, 400)
  t.match(chooser.body, 'Select the round the finding comes from')
  t.same([findingCount(db), logCount(db)], before, 'nothing written')
})

t.test('the whole path: proposal, decline, issue, response, actions, progress, closing', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const moderator = await signedIn(app, 'moderator@qaf.example')
  const advocate = await signedIn(app, 'advocate@qaf.example')
  const police = await signedIn(app, 'police@qaf.example')

  // The advocate proposes; the moderator must give a reason to decline.
  const propose = await advocate.get(`/findings/new?round=${s.roundA}&agency=${s.police}&item=R3.1`)
  t.match(propose.body, 'Propose finding')
  const proposed = await advocate.post('/findings/new', {
    ...formFields(propose.body, '/findings/new'),
    severity: 'low',
    recommendation: 'Check this',
  })
  t.equal(proposed.statusCode, 303)
  const pid = Number(/\d+$/.exec(proposed.headers.location as string)?.[0])
  let page = await moderator.get(`/findings/${pid}`)
  t.match(page.body, 'Accept the proposal')
  const noReason = await moderator.post(
    `/findings/${pid}/status`,
    formFields(page.body.replace(/[\s\S]*?(<form[^>]*data-qa="move-declined")/, '$1'), `/findings/${pid}/status`),
  )
  t.equal(noReason.statusCode, 400)
  t.match(noReason.body, /href="#text-declined">Enter the reason/)
  t.equal(
    (await moderator.post(`/findings/${pid}/status`, { to: 'declined', text: 'Not supported by the figures' }))
      .statusCode,
    303,
  )
  t.match(
    textOf((await moderator.get(`/findings/${pid}`)).body),
    /Declined[\s\S]*Reason declined Not supported by the figures/,
  )
  t.match(auditEntries(db, 'finding_declined')[0], {
    before: { status: 'proposed' },
    after: { status: 'declined', declineReason: 'Not supported by the figures' },
  })

  // A moderator's draft; the police cannot see it until it is issued.
  const raised = await moderator.post('/findings/new', {
    round: String(s.roundA),
    agency: String(s.police),
    title: 'Updates late',
    items: 'R6.2',
    severity: 'medium',
    recommendation: 'Update on time',
  })
  const id = Number(/\d+$/.exec(raised.headers.location as string)?.[0])
  t.equal((await police.get(`/findings/${id}`)).statusCode, 404, 'a draft is not shown to the agency')
  page = await moderator.get(`/findings/${id}`)
  t.same(formFields(page.body, `/findings/${id}/status`), {
    _csrf: formFields(page.body, `/findings/${id}/status`)._csrf,
    to: 'issued',
  })
  t.equal(
    (await moderator.post(`/findings/${id}/status`, formFields(page.body, `/findings/${id}/status`))).statusCode,
    303,
  )
  t.equal(
    (await moderator.post(`/findings/${id}/status`, { to: 'accepted' })).statusCode,
    409,
    'not before the agency responds',
  )

  // The police respond (a response is required), add an action and record progress.
  page = await police.get(`/findings/${id}`)
  t.equal(page.statusCode, 200)
  const respond = formFields(page.body, `/findings/${id}/status`)
  t.equal((await police.post(`/findings/${id}/status`, respond)).statusCode, 400, 'an empty response is refused')
  t.equal((await police.post(`/findings/${id}/status`, { ...respond, text: 'We will act.' })).statusCode, 303)
  // Too thin: the moderator asks for more, with a reason the police see; they answer again.
  t.equal(
    (await moderator.post(`/findings/${id}/status`, { to: 'issued' })).statusCode,
    400,
    'asking for more needs a reason',
  )
  t.equal(
    (await moderator.post(`/findings/${id}/status`, { to: 'issued', text: 'Say what and by when.' })).statusCode,
    303,
  )
  page = await police.get(`/findings/${id}`)
  t.match(page.body, /data-qa="return-reason">Say what and by when\./)
  t.equal(
    (
      await police.post(`/findings/${id}/status`, {
        ...formFields(page.body, `/findings/${id}/status`),
        text: 'We accept this and will act.',
      })
    ).statusCode,
    303,
  )
  t.notMatch((await police.get(`/findings/${id}`)).body, /return-reason/, 'answered, the request is no longer shown')
  page = await police.get(`/findings/${id}`)
  t.match(page.body, /data-qa="finding-response">We accept this and will act\./)
  const badDate = await police.post(`/findings/${id}/actions`, {
    description: 'Reminders',
    'due-day': '31',
    'due-month': '2',
    'due-year': '2030',
  })
  t.equal(badDate.statusCode, 400)
  t.match(badDate.body, /href="#due">The due date must be a real date/)
  t.equal(
    (
      await police.post(`/findings/${id}/actions`, {
        ...formFields(page.body, `/findings/${id}/actions`),
        description: 'Reminders in the case system',
        'due-day': '3',
        'due-month': '6',
        'due-year': '2030',
      })
    ).statusCode,
    303,
  )
  const actionId = db.get<{ id: number }>(sql`SELECT id FROM finding_actions WHERE finding_id = ${id}`)?.id as number
  page = await police.get(`/findings/${id}`)
  t.match(rowsByQa(page.body, 'action-row')[0], /Reminders in the case system Cumbria Constabulary 3 June 2030 Open/)
  let actionPage = await police.get(`/findings/actions/${actionId}`)
  t.notMatch(actionPage.body, /Close action/, 'the agency is not offered closing')
  const future = await police.post(`/findings/actions/${actionId}/progress`, {
    note: 'x',
    status: 'done',
    'on-day': '1',
    'on-month': '1',
    'on-year': '2099',
  })
  t.equal(future.statusCode, 400)
  t.match(future.body, 'must be today or in the past')
  const progress = {
    ...formFields(actionPage.body, `/findings/actions/${actionId}/progress`),
    note: 'Reminders switched on',
    status: 'done',
    'on-day': '2',
    'on-month': '6',
    'on-year': '2025',
  }
  t.equal((await police.post(`/findings/actions/${actionId}/progress`, progress)).statusCode, 303)
  actionPage = await police.get(`/findings/actions/${actionId}`)
  t.match(
    textOf(actionPage.body),
    /2 June 2025 \(Done\), Pat Police-Lead\s+Reminders switched on/,
    'the dated update, with who recorded it',
  )
  t.equal(
    (await police.post(`/findings/actions/${actionId}/close`, {})).statusCode,
    404,
    'only a moderator or admin closes an action',
  )
  t.match(auditEntries(db, 'action_progress')[0], {
    before: { status: 'open' },
    after: { status: 'done', update: { note: 'Reminders switched on', on: '2025-06-02' } },
  })

  // The moderator accepts, cannot close over an open action, closes the action, then the finding.
  t.equal((await moderator.post(`/findings/${id}/status`, { to: 'accepted' })).statusCode, 303)
  page = await moderator.get(`/findings/${id}`)
  t.match(page.body, /data-qa="blocked-closed">Close the finding: close every action before closing the finding\./)
  t.equal((await moderator.post(`/findings/${id}/status`, { to: 'closed' })).statusCode, 409)
  actionPage = await moderator.get(`/findings/actions/${actionId}`)
  t.equal(
    (
      await moderator.post(
        `/findings/actions/${actionId}/close`,
        formFields(actionPage.body, `/findings/actions/${actionId}/close`),
      )
    ).statusCode,
    303,
  )
  t.equal((await moderator.post(`/findings/${id}/status`, { to: 'closed' })).statusCode, 303)
  t.match(textOf((await police.get(`/findings/${id}`)).body), /Closed/)
  t.equal(
    (await police.post(`/findings/actions/${actionId}/progress`, progress)).statusCode,
    404,
    'a closed action takes no more progress',
  )

  // Every step is in the audit log, with the status before and after.
  const steps = ['finding_issued', 'finding_responded', 'finding_accepted', 'finding_closed'].map(
    (a) => auditEntries(db, a).filter((e) => e.entityId === String(id))[0],
  )
  t.match(auditEntries(db, 'finding_issued').filter((e) => e.entityId === String(id))[1], {
    before: { status: 'responded', response: 'We will act.' },
    after: { status: 'issued', returnReason: 'Say what and by when.' },
  })
  t.same(
    steps.map((e) => [e?.before?.status, e?.after?.status]),
    [
      ['draft', 'issued'],
      ['issued', 'responded'],
      ['responded', 'accepted'],
      ['accepted', 'closed'],
    ],
  )
  t.same(
    steps.map((e) => e?.actorEmail),
    ['moderator@qaf.example', 'police@qaf.example', 'moderator@qaf.example', 'moderator@qaf.example'],
  )
  t.match(auditEntries(db, 'action_added')[0], {
    actorEmail: 'police@qaf.example',
    after: { description: 'Reminders in the case system', dueDate: '2030-06-03', status: 'open' },
  })
  t.match(auditEntries(db, 'action_closed')[0], { before: { status: 'done' }, after: { status: 'closed' } })
})

t.test('findings on a round not yet published cannot be issued', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const moderator = await signedIn(app, 'moderator@qaf.example')
  const raised = await moderator.post('/findings/new', {
    round: String(s.roundB),
    agency: String(s.police),
    title: 'Bail updates',
    items: 'R6.5',
    severity: 'low',
    recommendation: 'x',
  })
  t.equal(raised.statusCode, 303)
  const page = await moderator.get(raised.headers.location as string)
  t.match(page.body, /data-qa="blocked-issued">Issue to the agency: publish the round before issuing its findings\./)
  t.equal((await moderator.post(`${raised.headers.location as string}/status`, { to: 'issued' })).statusCode, 409)
})

t.test('carry-forward: what later rounds say, through the crosswalk', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  // Police R3.1 in two later published rounds: 2 of 20 met, then 18 of 20.
  const low = createRound(db, {
    name: 'Autumn 2024 audit',
    periodFrom: '2024-07-01',
    periodTo: '2024-09-30',
    agencyIds: [s.police],
  })
  addMany(db, addCase(db, low, { ref: 'L-1', status: 'complete' }), 'R3.1', s.police, [
    ...times(2, 'met'),
    ...times(18, 'not_met'),
  ])
  const high = createRound(db, {
    name: 'Winter 2025 audit',
    periodFrom: '2024-10-01',
    periodTo: '2024-12-31',
    agencyIds: [s.police],
  })
  addMany(db, addCase(db, high, { ref: 'H-1', status: 'complete' }), 'R3.1', s.police, [
    ...times(18, 'met'),
    ...times(2, 'not_met'),
  ])
  const moderator = await signedIn(app, 'moderator@qaf.example')
  const viewer = await signedIn(app, 'viewer@qaf.example')

  const raisedLow = await moderator.post('/findings/new', {
    round: String(low),
    agency: String(s.police),
    title: 'Needs assessments',
    items: 'R3.1',
    severity: 'high',
    recommendation: 'x',
  })
  const rows = rowsByQa((await moderator.get(raisedLow.headers.location as string)).body, 'carry-row')
  t.equal(rows.length, 1, 'one later round')
  t.match(rows[0], /^R3\.1, Winter 2025 audit 90\.0% \(n = 20\) \+80\.0 points, 95% interval .* Improved$/)

  // The 2015 round's V15-P01 (0 of 10 met) is R3.1 in the 2020 Code (an equivalent item).
  const raised2015 = await moderator.post('/findings/new', {
    round: String(s.round2015),
    agency: String(s.police),
    title: 'Old finding',
    items: 'V15-P01',
    severity: 'high',
    recommendation: 'x',
  })
  const page = await moderator.get(raised2015.headers.location as string)
  const later = rowsByQa(page.body, 'carry-row')
  t.match(
    later.find((r) => r.includes('Spring 2024 audit')),
    /^V15-P01, Spring 2024 audit counted as R3\.1 100\.0% \(n = 4\) .* Improved$/,
    '0/10 to 4/4 through the crosswalk',
  )
  t.match(
    later.find((r) => r.includes('Autumn 2024 audit')),
    /No clear change$/,
    '0/10 to 2/20: the interval takes in zero',
  )
  t.match(
    later.find((r) => r.includes('Summer 2024 audit')),
    /\(provisional\) .*Not measured$/,
    'no R3.1 answers in the fieldwork round',
  )

  // Issued, so the viewer may see it; they get published rounds only.
  await moderator.post(`${raised2015.headers.location as string}/status`, { to: 'issued' })
  const viewerRows = rowsByQa((await viewer.get(raised2015.headers.location as string)).body, 'carry-row')
  t.equal(viewerRows.length, 3, 'the round in fieldwork is left out for a viewer')
  t.notOk(viewerRows.some((r) => r.includes('Summer 2024 audit')))
})

t.test('exports, the printed report and the summary', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedFindings(db)
  const moderator = await signedIn(app, 'moderator@qaf.example')
  const csv = await moderator.get('/findings/export.csv')
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  t.match(csv.headers['content-disposition'], 'findings-and-actions.csv')
  const lines = csv.body
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n')
  t.equal(
    lines[0],
    'finding_id,round,agency,title,items,severity,finding_status,raised_on,evidence,case_refs,recommendation,response,action_id,action_owner,action,due_date,action_status,timing',
  )
  const row = lines.find((l) => l.includes('Quokka issued finding'))
  t.match(row, /,Crown Prosecution Service North West,Quokka issued finding,R6\.10,Medium,Awaiting response,/)
  t.match(row, /R6\.10 100\.0% \(2 of 2, 95% interval 34\.2% to 100\.0%\)/, 'the evidence with n and interval')
  t.match(row, /,Quokka overdue action,2024-06-03,In progress,Overdue by \d+ working days/)
  t.equal(lines.length, 1 + 11, 'one row per finding (none has more than one action)')

  const xlsx = await moderator.get('/findings/export.xlsx')
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
  t.same(
    wb.worksheets.map((w) => w.name),
    ['Findings', 'Actions'],
  )
  t.equal(wb.getWorksheet('Findings')?.rowCount, 1 + 11)
  t.equal(wb.getWorksheet('Actions')?.rowCount, 1 + 5)

  const police = await signedIn(app, 'police@qaf.example')
  const report = await police.get(`/scores/rounds/${s.roundA}/report`)
  const section = /<section[^>]*data-qa="report-findings"[\s\S]*?<\/section>/.exec(report.body)?.[0] ?? ''
  const titles = [...section.matchAll(/data-qa="report-finding">([^<]+)</g)].map((m) => m[1])
  t.same(
    titles.sort(),
    ['Police accepted finding', 'Police closed finding', 'Police issued finding', 'Police responded finding'],
    'issued findings of their own agency only',
  )
  t.match(textOf(section), /Police done action 3 June 2024 Done/)
  const summary = await police.get('/scores/summary')
  t.match(textOf(summary.body), /Open findings/)
  t.equal([...summary.body.matchAll(/data-qa="open-finding"/g)].length, 3, 'issued, responded and accepted: not closed')
})

t.test('home pages: counts and the actions due', async (t) => {
  const { app, db } = await buildTestApp(t)
  seedFindings(db)
  const moderator = await signedIn(app, 'moderator@qaf.example')
  const home = await moderator.get('/')
  const text = textOf(home.body)
  t.match(text, /Proposals and responses to review: 3/, 'one proposal, two responses')
  t.match(text, /2 findings awaiting an agency's response/)
  t.match(text, /1 action overdue, 0 actions due in the next 14 days/)
  t.match(
    rowsByQa(home.body, 'action-due-row')[0],
    /Quokka overdue action Crown Prosecution Service North West 3 June 2024 Overdue by \d+ working days/,
  )
  t.match(textOf(byQa(home.body, 'nav-count').html), /^\(4 need your attention/, 'three to review and one overdue')
  const viewer = await signedIn(app, 'viewer@qaf.example')
  t.notMatch((await viewer.get('/')).body, /nav-count/, 'viewers have nothing to act on')
})
