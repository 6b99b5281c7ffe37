// Compliance scores in a real browser, on the published demo round: the dashboard and its
// drill-down to the case answers, trends with an htmx filter, the MoJ measures, the printable
// report, the downloads opened as files, an agency user confined to their own agency, and the
// viewer's summary.
import t from 'tap'
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { eq } from 'drizzle-orm'
import { agencies } from '../../schema/index.ts'
import type { Page } from 'playwright-core'
import { download, htmxResponse, startE2E } from '../fixtures/browser.ts'

const e2e = await startE2E(t)
const ROUND_NAME = 'Winter 2024/25 audit'
const POLICE = 'Cumbria Constabulary'

/** The published round's dashboard, reached as a person would: by its link on the scores page. */
async function publishedRound(page: Page): Promise<string> {
  await page.goto('/scores')
  const href = await page.getByRole('link', { name: ROUND_NAME, exact: true }).getAttribute('href')
  if (!href) throw new Error(`no link to ${ROUND_NAME} on /scores`)
  return href
}

function csvRows(body: Buffer): Record<string, string>[] {
  return parse(body.toString('utf8'), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[]
}

t.test('admin reads the published round: dashboard, drill-down, trends, MoJ measures and report', async (t) => {
  const page = await e2e.pageAs(t, 'admin@qaf.example')
  await page.goto('/scores')
  await e2e.checkA11y(t, page, 'scores: rounds')
  await page.getByRole('link', { name: ROUND_NAME, exact: true }).click()
  await page.waitForURL(/\/scores\/rounds\/\d+$/)
  const PUBLISHED = new URL(page.url()).pathname
  await e2e.checkA11y(t, page, 'scores: round dashboard')
  await e2e.screenshot(page, 'scores-dashboard')
  const agencyRows = await page.locator('[data-qa="heatmap-row"] th').allTextContents()
  t.ok(agencyRows.length >= 3, `the heat map has a row per agency and the partnership (${agencyRows.length})`)
  t.ok(agencyRows.some((r) => r.includes(POLICE)))
  t.ok(await page.locator('[data-qa="overall-table"]').isVisible(), 'the chart has its data table')

  // Agency → item → the case answers behind the figure.
  await page.locator('[data-qa="heatmap-row"] th a', { hasText: POLICE }).click()
  await page.waitForURL(new RegExp(`${PUBLISHED}/agencies/\\d+$`))
  await t.resolveMatch(page.locator('h1').textContent(), new RegExp(POLICE))
  await e2e.checkA11y(t, page, 'scores: agency')
  await e2e.screenshot(page, 'scores-agency')
  const itemLink = page.locator('[data-qa="item-row"] th a').first()
  const itemText = (await itemLink.textContent()) ?? ''
  await itemLink.click()
  await page.waitForURL(/\/items\/[^/]+$/)
  await t.resolveMatch(
    page.locator('h1').textContent(),
    new RegExp(itemText.trim().split(' ')[0]?.replace(/\./g, '\\.') ?? ''),
  )
  const answers = await page.locator('[data-qa="case-row"]').count()
  t.ok(answers > 0, `the case answers behind the figure (${answers})`)
  await e2e.checkA11y(t, page, 'scores: item case answers')

  // Trends: the filter swaps the results in with htmx and the address follows it.
  await page.goto('/scores/trends')
  await e2e.checkA11y(t, page, 'scores: trends')
  await page.getByLabel('Agency').selectOption({ label: POLICE })
  await htmxResponse(page, '/scores/trends', () => page.getByRole('button', { name: 'Show trend' }).click())
  await t.resolveMatch(
    page.locator('[data-qa="trend-results"] h2').textContent(),
    new RegExp(`Overall compliance: ${POLICE}`),
  )
  t.match(page.url(), /agency=\d+/, 'the address follows the filter')
  t.ok(
    await page.evaluate(() => document.activeElement?.matches('[data-qa="trend-results"] h2') ?? false),
    'focus moves to the new results',
  )
  t.ok((await page.locator('[data-qa="trend-row"]').count()) >= 1, 'a row per round')
  await e2e.checkA11y(t, page, 'scores: trends after an htmx update')
  await e2e.screenshot(page, 'scores-trends')

  await page.goto(`${PUBLISHED}/moj`)
  t.ok((await page.locator('[data-qa="moj-table"] tbody tr').count()) > 0, 'the MoJ measures table has rows')
  await e2e.checkA11y(t, page, 'scores: MoJ measures')
  const moj = await download(page, page.getByRole('link', { name: 'Download as CSV' }))
  const mojRows = csvRows(moj.body)
  t.ok(
    mojRows.length > 0 && 'Measure code' in (mojRows[0] ?? {}),
    `the MoJ CSV has a header and ${mojRows.length} rows`,
  )

  await page.goto(`${PUBLISHED}/report`)
  t.ok((await page.locator('[data-qa="report-agency"]').count()) >= 2, 'the report has a section per agency')
  await e2e.checkA11y(t, page, 'scores: printable report')
  await e2e.screenshot(page, 'scores-report')
  await page.emulateMedia({ media: 'print' })
  t.notOk(await page.locator('.govuk-service-navigation').isVisible(), 'printing leaves out the navigation')
  await page.emulateMedia({ media: 'screen' })
})

t.test('the printable report fits a board pack: at most 12 A4 pages, empty agencies in one line', async (t) => {
  const page = await e2e.pageAs(t, 'admin@qaf.example')
  await page.goto('/scores')
  await page.getByRole('link', { name: 'Winter 2024/25 audit', exact: true }).click()
  await page.getByRole('link', { name: 'Printable report' }).click()
  await page.waitForURL('**/report')
  await t.resolveMatch(page.locator('h1').textContent(), /Winter 2024\/25 audit/)
  await t.resolveMatch(
    page.locator('[data-qa="report-empty-agencies"]').textContent(),
    /No applicable cases in this round for Bridgeway sexual assault referral centre, Cumbria Youth Offending Service, Remedi restorative justice, Victim Support/,
  )
  t.equal(
    await page.locator('[data-qa="report-agency"] h2', { hasText: 'Remedi' }).count(),
    0,
    'no section for an agency with nothing to count',
  )
  // Chromium's own PDF output, as "Save as PDF" makes it: one /Type /Page object per page.
  const pdf = await page.pdf({ format: 'A4', printBackground: true })
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length
  t.ok(pages >= 6 && pages <= 12, `the demo round's report prints on ${pages} A4 pages (at most 12)`)
})

t.test('the exports download and open', async (t) => {
  const page = await e2e.pageAs(t, 'admin@qaf.example')
  const PUBLISHED = await publishedRound(page)
  const roundId = PUBLISHED.split('/').pop()
  await page.goto(PUBLISHED)
  const csv = await download(page, page.getByRole('link', { name: 'Download CSV' }))
  t.equal(csv.name, `scores-round-${roundId}.csv`)
  const rows = csvRows(csv.body)
  t.ok(rows.length > 10, `the CSV has ${rows.length} rows`)
  t.same(
    Object.keys(rows[0] ?? {}).slice(0, 3),
    ['Round', 'Agency', 'Measure type'],
    'under a header a reader can follow',
  )
  t.ok(rows.every((r) => r.Round === 'Winter 2024/25 audit'))

  const xlsx = await download(page, page.getByRole('link', { name: 'Download spreadsheet (XLSX)' }))
  t.equal(xlsx.name, `scores-round-${roundId}.xlsx`)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer)
  t.same(
    wb.worksheets.map((w) => w.name),
    ['Overall', 'Themes', 'Rights', 'Items', 'MoJ measures', 'Method'],
    'the workbook opens with its sheets',
  )
  t.ok((wb.getWorksheet('Overall')?.rowCount ?? 0) > 1, 'with rows under the header')
})

t.test('an agency user sees only their own agency', async (t) => {
  const others = e2e.db
    .select({ id: agencies.id, name: agencies.name })
    .from(agencies)
    .all()
    .filter((a) => a.name !== POLICE)
  const own = e2e.db.select({ id: agencies.id }).from(agencies).where(eq(agencies.name, POLICE)).get()
  const page = await e2e.pageAs(t, 'police@qaf.example')
  const PUBLISHED = await publishedRound(page)
  await page.goto(PUBLISHED)
  await e2e.checkA11y(t, page, 'scores: round dashboard (agency user)')
  const text = await page.locator('main').innerText()
  t.match(text, POLICE)
  t.same(
    others.filter((a) => text.includes(a.name)).map((a) => a.name),
    [],
    'no other agency is named',
  )
  await page.goto(`${PUBLISHED}/agencies/${own?.id}`)
  await t.resolveMatch(page.locator('h1').textContent(), new RegExp(POLICE))
  t.equal(await page.locator('[data-qa="item-row"] th a').count(), 0, 'an agency user gets no links to case answers')
  await e2e.checkA11y(t, page, 'scores: agency (agency user)')

  const other = others.find((a) => a.name.startsWith('Crown Prosecution Service'))
  const response = await page.goto(`${PUBLISHED}/agencies/${other?.id}`)
  t.equal(response?.status(), 404, 'another agency’s page answers 404')
  await t.resolveMatch(page.locator('h1').textContent(), /Page not found/)
  await e2e.checkA11y(t, page, 'page not found')

  await page.goto(PUBLISHED)
  const csv = (await download(page, page.getByRole('link', { name: 'Download CSV' }))).body.toString('utf8')
  t.same(
    others.filter((a) => csv.includes(a.name)).map((a) => a.name),
    [],
    'the CSV names no other agency',
  )
})

t.test('the viewer sees the partnership summary', async (t) => {
  const page = await e2e.pageAs(t, 'viewer@qaf.example')
  await page.goto('/scores/summary')
  await t.resolveMatch(page.locator('h1').textContent(), /Partnership summary/)
  t.ok(
    (await page.locator('[data-qa="headline-row"]').count()) >= 2,
    'headline scores for the agencies and the partnership',
  )
  await e2e.checkA11y(t, page, 'scores: summary (viewer)')
  await e2e.screenshot(page, 'scores-summary')
})
