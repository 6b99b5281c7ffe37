// Who may see and do what with findings and actions, route by route: auditors nothing; viewers
// and the advocate read (the advocate proposes); agency users only their own agency's findings
// once issued, and 404 for every other, by any URL, list, count or export.
import t, { type Test } from 'tap'
import { byQa, textOf } from '../fixtures/html.ts'
import ExcelJS from 'exceljs'
import { sql } from 'drizzle-orm'
import type { Db } from '../../schema/database.ts'
import { buildTestApp, signedIn, type Session } from '../fixtures/app.ts'
import { CPS_MARK, seedFindings, type FindingsScenario } from '../fixtures/findings.ts'

async function xlsxText(body: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(body as unknown as ArrayBuffer)
  const parts: string[] = []
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => parts.push(String(cell.value)))))
  return parts.join('\n')
}

/** Every request a user could make about one finding and one of its actions. */
function requestsFor(s: FindingsScenario, findingId: number, actionId: number) {
  return {
    gets: [`/findings/${findingId}`, `/findings/actions/${actionId}`],
    posts: [
      [`/findings/${findingId}/status`, { to: 'responded', text: 'x' }],
      [`/findings/${findingId}/status`, { to: 'closed' }],
      [`/findings/${findingId}/actions`, { description: 'x', 'due-day': '1', 'due-month': '1', 'due-year': '2030' }],
      [
        `/findings/actions/${actionId}/progress`,
        { note: 'x', status: 'done', 'on-day': '1', 'on-month': '1', 'on-year': '2024' },
      ],
      [`/findings/actions/${actionId}/close`, {}],
    ] as [string, Record<string, string>][],
    round: s.roundA,
  }
}

function counts(db: Db) {
  return db.get<{ f: string; a: number; u: number; l: number }>(
    sql`SELECT (SELECT group_concat(status || updated_at) FROM findings) AS f, (SELECT count(*) FROM finding_actions) AS a, (SELECT count(*) FROM action_updates) AS u, (SELECT count(*) FROM audit_log) AS l`,
  )
}

async function expectAll404(t: Test, user: Session, label: string, r: ReturnType<typeof requestsFor>) {
  for (const url of r.gets) t.equal((await user.get(url)).statusCode, 404, `${label}: GET ${url}`)
  for (const [url, form] of r.posts) t.equal((await user.post(url, form)).statusCode, 404, `${label}: POST ${url}`)
}

t.test('auditors see nothing of findings', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedFindings(db)
  const auditor = await signedIn(app, 'auditor@qaf.example')
  t.notMatch((await auditor.get('/')).body, /href="\/findings"/, 'no Findings link')
  for (const url of [
    '/findings',
    '/findings/new',
    '/findings/export.csv',
    '/findings/export.xlsx',
    `/findings/new?round=${s.roundA}&agency=${s.police}`,
  ]) {
    t.equal((await auditor.get(url)).statusCode, 404, `auditor: ${url}`)
  }
  const before = counts(db)
  await expectAll404(t, auditor, 'auditor', requestsFor(s, s.police_.issued, s.policeActions.open))
  t.equal(
    (
      await auditor.post('/findings/new', {
        round: String(s.roundA),
        agency: String(s.police),
        title: 'x',
        items: 'R3.1',
        severity: 'low',
        recommendation: 'x',
      })
    ).statusCode,
    404,
  )
  t.same(counts(db), before, 'nothing written')
})

t.test('a police user: only police findings once issued; 404 for every CPS finding and action', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedFindings(db)
  const police = await signedIn(app, 'police@qaf.example')
  const before = counts(db)

  // Every CPS finding and action, in every state, by id.
  for (const [state, id] of Object.entries(s.cps_)) {
    await expectAll404(t, police, `CPS ${state}`, requestsFor(s, id, s.cpsActions.open))
  }
  await expectAll404(t, police, 'CPS closed action', requestsFor(s, s.cps_.closed, s.cpsActions.closed))
  // Police findings they must not see yet: drafts, proposals, declined proposals.
  for (const state of ['draft', 'proposed', 'declined'] as const) {
    t.equal(
      (await police.get(`/findings/${s.police_[state]}`)).statusCode,
      404,
      `police ${state} is not shown to the police`,
    )
  }
  // Id guessing: every id from 1 to beyond the last, and malformed ids.
  const maxF = db.get<{ n: number }>(sql`SELECT max(id) AS n FROM findings`)?.n ?? 0
  const maxA = db.get<{ n: number }>(sql`SELECT max(id) AS n FROM finding_actions`)?.n ?? 0
  const seen: number[] = []
  for (let id = 1; id <= maxF + 2; id++) if ((await police.get(`/findings/${id}`)).statusCode === 200) seen.push(id)
  t.same(
    seen.sort((a, b) => a - b),
    [s.police_.issued, s.police_.responded, s.police_.accepted, s.police_.closed].sort((a, b) => a - b),
    'exactly the issued police findings',
  )
  const seenActions: number[] = []
  for (let id = 1; id <= maxA + 2; id++)
    if ((await police.get(`/findings/actions/${id}`)).statusCode === 200) seenActions.push(id)
  t.same(
    seenActions.sort((a, b) => a - b),
    Object.values(s.policeActions).sort((a, b) => a - b),
    'exactly the police actions',
  )
  for (const bad of ['0', '-1', 'abc', '1.5', '99999999999999999999'])
    t.equal((await police.get(`/findings/${bad}`)).statusCode, 404, `id ${bad}`)
  t.same(counts(db), before, 'nothing written by any of it')

  // No CPS text anywhere the police user can look.
  for (const url of [
    '/',
    '/findings',
    '/findings?status=issued',
    '/findings?status=closed',
    `/scores/rounds/${s.roundA}/report`,
    '/scores/summary',
    `/findings/${s.police_.responded}`,
  ]) {
    const res = await police.get(url)
    t.equal(res.statusCode, 200, url)
    t.notMatch(res.body, CPS_MARK, `no CPS text on ${url}`)
    t.notMatch(res.body, /Crown Prosecution/, `no CPS name on ${url}`)
  }
  const csv = await police.get('/findings/export.csv')
  t.notMatch(csv.body, CPS_MARK, 'no CPS text in the CSV')
  t.match(csv.body, 'Police issued finding')
  t.equal(
    csv.body.trim().split('\r\n').length,
    1 + 4,
    'header and one row per police finding (each has at most one action)',
  )
  const xlsx = await xlsxText((await police.get('/findings/export.xlsx')).rawPayload)
  t.notMatch(xlsx, CPS_MARK, 'no CPS text in the XLSX')
  t.match(xlsx, 'Police accepted finding')

  // Counts: the police user's own, never the CPS's (the CPS has an overdue action; police none).
  const home = await police.get('/')
  t.match(home.body, /1 finding awaiting your response/)
  t.match(home.body, /0 actions overdue, 0 actions due in the next 14 days/)
  t.match(textOf(byQa(home.body, 'nav-count').html), /^\(1 /, 'navigation count: one finding awaiting response')
  t.match(home.body, /data-qa="actions-due-none"/)

  // The police cannot raise or propose.
  t.equal((await police.get(`/findings/new?round=${s.roundA}&agency=${s.police}`)).statusCode, 404)
  t.equal(
    (
      await police.post('/findings/new', {
        round: String(s.roundA),
        agency: String(s.police),
        title: 'x',
        items: 'R3.1',
        severity: 'low',
        recommendation: 'x',
      })
    ).statusCode,
    404,
  )
})

t.test('a CPS user sees the mirror image', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedFindings(db)
  const cps = await signedIn(app, 'cps@qaf.example')
  for (const [state, id] of Object.entries(s.police_))
    t.equal((await cps.get(`/findings/${id}`)).statusCode, 404, `police ${state}`)
  for (const id of Object.values(s.policeActions)) t.equal((await cps.get(`/findings/actions/${id}`)).statusCode, 404)
  const list = await cps.get('/findings')
  t.match(list.body, `${CPS_MARK} issued finding`)
  t.notMatch(list.body, /Police (draft|issued|responded|accepted|closed)|Police proposal|Cumbria Constabulary/)
  t.notMatch((await cps.get('/findings/export.csv')).body, /Police|Constabulary/)
  const home = await cps.get('/')
  t.match(home.body, /1 action overdue/, 'the CPS sees its own overdue action')
})

t.test('viewers and the advocate read; only the advocate proposes', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedFindings(db)
  const viewer = await signedIn(app, 'viewer@qaf.example')
  const advocate = await signedIn(app, 'advocate@qaf.example')
  for (const state of ['issued', 'responded', 'accepted', 'closed'] as const) {
    t.equal((await viewer.get(`/findings/${s.police_[state]}`)).statusCode, 200, `viewer sees police ${state}`)
    t.equal((await advocate.get(`/findings/${s.police_[state]}`)).statusCode, 200, `advocate sees police ${state}`)
  }
  for (const state of ['draft', 'proposed', 'declined'] as const)
    t.equal((await viewer.get(`/findings/${s.police_[state]}`)).statusCode, 404, `viewer: ${state}`)
  t.equal((await advocate.get(`/findings/${s.police_.draft}`)).statusCode, 404, 'advocate: drafts are the moderators’')
  t.equal((await advocate.get(`/findings/${s.police_.proposed}`)).statusCode, 200, 'advocate: proposals')
  t.equal((await viewer.get('/findings/new')).statusCode, 404)
  t.equal((await advocate.get('/findings/new')).statusCode, 200)
  const before = counts(db)
  for (const who of [viewer, advocate]) {
    for (const [url, form] of requestsFor(s, s.police_.responded, s.policeActions.open).posts)
      t.equal((await who.post(url, form)).statusCode, 404, `read-only: POST ${url}`)
  }
  t.same(counts(db), before)
  for (const who of [viewer, advocate]) {
    t.equal((await who.get('/findings/export.csv')).statusCode, 200)
    t.notMatch((await who.get('/findings/export.csv')).body, /Police draft finding/, 'no drafts in their export')
  }
})

t.test('moderators and admins see everything', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedFindings(db)
  for (const email of ['moderator@qaf.example', 'admin@qaf.example']) {
    const u = await signedIn(app, email)
    for (const id of [...Object.values(s.police_), ...Object.values(s.cps_)])
      t.equal((await u.get(`/findings/${id}`)).statusCode, 200, `${email}: ${id}`)
    const csv = (await u.get('/findings/export.csv')).body
    t.match(csv, 'Police draft finding')
    t.match(csv, CPS_MARK)
  }
})
