// The agency portal in a real browser: the police lead's home (own scores by Right, trend, the
// anonymised comparison chart with its data table, downloads), the reconciliation of their
// reported figures (the flagged one worded neutrally, the CSV), entering a figure with a mistake
// and then correctly, and the same without JavaScript. axe on every page, no console error or CSP
// violation anywhere, no other agency named.
import t from 'tap'
import { agencies } from '../../schema/index.ts'
import { download, errorSummaryFocused, htmxResponse, scrollsSideways, startE2E } from '../fixtures/browser.ts'

const e2e = await startE2E(t)
const others = e2e.db
  .select({ name: agencies.name })
  .from(agencies)
  .all()
  .map((a) => a.name)
  .filter((n) => n !== 'Cumbria Constabulary')

function namesIn(text: string): string[] {
  return others.filter((n) => text.includes(n))
}

t.test("the police lead's home: scores, trend and the anonymised comparison", async (t) => {
  const page = await e2e.pageAs(t, 'police@qaf.example')
  await page.goto('/')
  await t.resolveMatch(page.locator('[data-qa="home-latest"]').textContent(), /Winter 2024\/25 audit/)
  t.ok((await page.locator('[data-qa="home-right"]').count()) >= 3, 'scores by Right')
  await t.resolveMatch(
    page.locator('[data-qa="home-overall"]').textContent(),
    /\d+\.\d% \(n = \d+\)[\s\S]*95% interval[\s\S]*(Green|Amber|Red)/,
  )
  // The comparison chart, one image with a title, and its data table.
  const chart = page.locator('[data-qa="home-comparison-chart"] svg[role="img"]').first()
  await t.resolveMatch(chart.getAttribute('aria-labelledby'), /\S/, 'the chart is labelled')
  t.ok(await chart.isVisible(), 'the chart is drawn')
  const table = page.locator('[data-qa="home-comparison"]')
  const labels = await table.locator('tbody th').allTextContents()
  t.equal(labels[0]?.trim(), 'All agencies (partnership)')
  t.match(labels[1]?.trim(), /^Your agency \(Agency [A-Z]\)$/)
  t.ok(
    labels.slice(2).every((l) => /^Agency [A-Z]$/.test(l.trim())),
    `others by letter: ${labels.slice(2).join(', ')}`,
  )
  // Every bar of the chart has its row in the table, with the same label.
  const chartText = (await chart.textContent()) ?? ''
  for (const l of labels) t.ok(chartText.includes(l.trim()), `${l.trim()} in the chart`)
  t.same(namesIn((await page.content()) ?? ''), [], 'no other agency named on the page')
  await t.resolveMatch(
    page.locator('[data-qa="home-trend"]').textContent(),
    /Winter 2020\/21 audit[\s\S]*Winter 2024\/25 audit/,
  )
  await t.resolveMatch(page.locator('[data-qa="home-reported"]').textContent(), /the audit does not support 1/)
  await e2e.checkA11y(t, page, 'home: agency lead with the comparison')
  const csv = await download(page, page.locator('[data-qa="home-csv"]'))
  t.match(csv.name, /\.csv$/)
  t.same(namesIn(csv.body.toString('utf8')), [], 'the CSV of own figures names no other agency')
  t.match(csv.body.toString('utf8'), /Cumbria Constabulary/)
})

t.test('the reconciliation: the flagged figure, the filter and the CSV', async (t) => {
  const page = await e2e.pageAs(t, 'police@qaf.example')
  await page.goto('/')
  await page.getByRole('link', { name: 'Your reported figures and the audit' }).click()
  await page.waitForURL('**/reconciliation')
  const rows = page.locator('[data-qa="reconciliation-row"]')
  t.equal(await rows.count(), 5)
  const flagged = page.locator('[data-qa="reconciliation-row"][data-verdict="above"]')
  await t.resolveMatch(
    flagged.textContent(),
    /Offered a Victim Personal Statement[\s\S]*October 2024 to March 2025[\s\S]*92\.0% of 1,204 cases[\s\S]*78\.3% \(n = 46\)[\s\S]*The audit does not support the reported figure/,
  )
  await e2e.checkA11y(t, page, 'reconciliation: agency lead')
  await htmxResponse(page, '/reconciliation', () =>
    page
      .getByLabel('Only figures the audit does not support')
      .check()
      .then(() => page.getByRole('button', { name: 'Show' }).click()),
  )
  t.equal(await rows.count(), 1, 'only the flagged figure, swapped in by htmx')
  t.match(page.url(), /flagged=1/, 'the address says what is shown')
  await e2e.checkA11y(t, page, 'reconciliation: flagged only')
  const csv = await download(page, page.locator('[data-qa="reconciliation-csv"]'))
  t.equal(csv.name, 'reconciliation.csv')
  t.match(csv.body.toString('utf8'), /Offered a Victim Personal Statement.*92.*78\.3/)
  t.same(namesIn(csv.body.toString('utf8')), [])
})

t.test('entering a figure: a mistake shown with the error summary, then saved', async (t) => {
  const page = await e2e.pageAs(t, 'police@qaf.example')
  page.setDefaultTimeout(8000)
  await page.goto('/reconciliation')
  await page.getByRole('link', { name: 'Enter a figure' }).click()
  await page.waitForURL('**/reported-figures/new')
  await e2e.checkA11y(t, page, 'reported figures: enter')
  await page.getByLabel('Measure').selectOption('moj:timely_updates')
  await page.locator('#from').fill('10')
  await page.locator('#from-year').fill('2024')
  await page.locator('#to').fill('3')
  await page.locator('#to-year').fill('2025')
  await page.getByLabel('Reported figure (%)').fill('250')
  await page.getByLabel('Number of cases the figure covers').fill('1204')
  await page.getByRole('button', { name: 'Save the figure' }).click()
  t.ok(await errorSummaryFocused(page), 'the error summary takes focus')
  await t.resolveMatch(
    page.locator('.govuk-error-summary').textContent(),
    /Enter the percentage as a number from 0 to 100/,
  )
  await e2e.checkA11y(t, page, 'reported figures: enter, with errors')
  await page.getByLabel('Reported figure (%)').fill('75')
  await page.getByRole('button', { name: 'Save the figure' }).click()
  await page.waitForURL('**/reconciliation')
  await t.resolveMatch(page.locator('.govuk-notification-banner').textContent(), /Figure saved: Timely updates/)
  await t.resolveMatch(
    page.locator('[data-qa="reconciliation-row"]', { hasText: 'Timely updates' }).textContent(),
    /75\.0% of 1,204 cases[\s\S]*76\.1% \(n = 117\)[\s\S]*Within the interval/,
  )
})

t.test('without JavaScript: the home and the upload page work and pass axe', async (t) => {
  const page = await e2e.pageAs(t, 'police@qaf.example', { javaScriptEnabled: false })
  await page.goto('/')
  t.equal((await page.locator('[data-qa="home-comparison"] tbody tr').count()) > 2, true)
  await page.goto('/reported-figures/upload')
  await e2e.checkA11y(t, page, 'reported figures: upload')
  await page.goto('/reconciliation?flagged=1')
  t.equal(await page.locator('[data-qa="reconciliation-row"]').count(), 1)
})

t.test('at 320 px the home and the reconciliation never scroll sideways', async (t) => {
  const page = await e2e.pageAs(t, 'police@qaf.example', { viewport: { width: 320, height: 800 } })
  for (const url of ['/', '/reconciliation', '/reported-figures/new', '/reported-figures/upload']) {
    await page.goto(url)
    t.notOk(await scrollsSideways(page), `${url} fits 320 px`)
  }
})

t.test('a moderator turns the flag into a draft finding in one step', async (t) => {
  const page = await e2e.pageAs(t, 'moderator@qaf.example')
  await page.goto('/reconciliation?flagged=1')
  t.equal(await page.locator('[data-qa="reconciliation-row"]').count(), 1)
  await t.resolveMatch(page.locator('[data-qa="reconciliation-row"]').textContent(), /Cumbria Constabulary/)
  await e2e.checkA11y(t, page, 'reconciliation: moderator')
  await page.getByRole('button', { name: /Raise a finding/ }).click()
  await page.waitForURL(/\/findings\/\d+$/)
  await t.resolveMatch(page.locator('[data-qa="finding-status"]').textContent(), /Draft/)
  await t.resolveMatch(page.locator('h1').textContent(), /Reported figure not supported by the audit/)
  await page.goto('/reconciliation?flagged=1')
  await t.resolveMatch(page.locator('[data-qa="reconciliation-row"]').textContent(), /Finding raised/)
  t.equal(await page.getByRole('button', { name: /Raise a finding/ }).count(), 0, 'once only')
})
