// The anonymised comparison never names another agency: every page, htmx fragment and export the
// police and the CPS leads can reach (the GET routes of the app's own route table open to agency
// leads, with every real round, finding, action and agency id of the demo data, and the query
// strings that choose an agency) is scanned for the name of every agency but their own.
import t from 'tap'
import ExcelJS from 'exceljs'
import { sql } from 'drizzle-orm'
import { agencies } from '../../schema/index.ts'
import { signedIn } from '../fixtures/app.ts'
import { buildPortalApp } from '../fixtures/reconciliation.ts'

async function xlsxText(body: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(body as unknown as ArrayBuffer)
  const parts: string[] = []
  wb.eachSheet((ws) => {
    parts.push(ws.name)
    ws.eachRow((row) => row.eachCell((cell) => parts.push(String(cell.value))))
  })
  return parts.join('\n')
}

function addresses(url: string, values: Record<string, string[]>): string[] {
  let out = [url]
  for (const name of url.match(/:[A-Za-z]+/g) ?? []) {
    const choices = values[name.slice(1)] ?? ['1']
    out = out.flatMap((u) => choices.map((v) => u.replace(name, v)))
  }
  return out
}

t.test('no page, fragment or export reachable by an agency lead names another agency', async (t) => {
  const { app, db } = await buildPortalApp(t)
  const all = db.select({ id: agencies.id, name: agencies.name }).from(agencies).all()
  const ids = (table: string) => db.all<{ id: number }>(sql.raw(`SELECT id FROM ${table}`)).map((r) => String(r.id))
  const anyId = [
    ...new Set([...ids('rounds'), ...ids('findings'), ...ids('finding_actions'), ...ids('reported_figures')]),
  ]
  const values: Record<string, string[]> = { id: anyId, agencyId: all.map((a) => String(a.id)) }
  const routes = app.routeTable.filter(
    (r) =>
      r.method === 'GET' &&
      !r.url.startsWith('/assets/') &&
      (r.access === undefined || (r.access !== 'public' && r.access.includes('agency'))),
  )
  t.ok(
    routes.some((r) => r.url === '/reconciliation'),
    'the reconciliation is among them',
  )
  const urls = routes.flatMap((r) => addresses(r.url, values))
  // Query strings that pick an agency, a round or a filter.
  for (const a of all) {
    urls.push(`/scores/trends?agency=${a.id}&measure=overall`, `/reconciliation?agency=${a.id}`)
    urls.push(`/reconciliation/export.csv?agency=${a.id}&flagged=1`)
  }
  urls.push('/findings?status=issued', '/reconciliation?flagged=1', '/scores/trends?measure=theme:information')

  for (const email of ['police@qaf.example', 'cps@qaf.example']) {
    const user = await signedIn(app, email)
    const own = db.get<{ name: string }>(
      sql`SELECT a.name FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.email = ${email}`,
    )?.name
    const others = all.filter((a) => a.name !== own).map((a) => a.name)
    let scanned = 0
    let ownSeen = 0
    let lettersSeen = 0
    let exports = 0
    for (const url of urls) {
      for (const headers of [{}, { 'HX-Request': 'true' }] as Record<string, string>[]) {
        const res = await user.get(url, headers)
        if (res.statusCode >= 500) t.fail(`${email} GET ${url}: ${res.statusCode}`)
        if (res.statusCode !== 200) continue
        const type = String(res.headers['content-type'])
        const text = type.includes('spreadsheetml') ? await xlsxText(res.rawPayload) : res.rawPayload.toString('utf8')
        if (!type.includes('text/html')) exports++
        scanned++
        for (const name of others) {
          const escaped = name.replace(/&/g, '&amp;')
          if (text.includes(name) || text.includes(escaped)) t.fail(`${email} GET ${url}: names ${name}`)
        }
        if (own && (text.includes(own) || text.includes(own.replace(/&/g, '&amp;')))) ownSeen++
        if (/Agency [A-Z]\b/.test(text)) lettersSeen++
      }
    }
    t.ok(scanned > 50, `${email}: ${scanned} responses scanned`)
    t.ok(exports >= 4, `${email}: ${exports} of them exports (CSV, XLSX)`)
    t.ok(ownSeen > 0 && lettersSeen > 0, `${email}: own name on ${ownSeen}, anonymised letters on ${lettersSeen}`)
    console.log(`# ${email}: ${urls.length} addresses, ${scanned} responses scanned`)
  }
})
