// The admin's journey through a new round in a real browser: create it (errors first), import a
// population through the upload form, move to sampling, plan the sample (with and without
// JavaScript), draw it, check the manifest, allocate it and move to fieldwork. Axe runs on every
// page on the way.
import t from 'tap'
import { parse } from 'csv-parse/sync'
import { generatePopulationCsv } from '../../seeds/population-generator.ts'
import { manifestColumns } from '../../server/routes/rounds/manifest.ts'
import type { Page } from 'playwright-core'
import { download, errorSummaryFocused, htmxResponse, startE2E } from '../fixtures/browser.ts'

const e2e = await startE2E(t)

/** Waits until the page is at `path`, whatever the query (success messages travel in it). */
function onPath(page: Page, path: string | RegExp) {
  return page.waitForURL((url) => (typeof path === 'string' ? url.pathname === path : path.test(url.pathname)))
}
const ADMIN = 'admin@qaf.example'
const ROUND_NAME = 'Spring 2026 browser audit'
const POPULATION = 300
const SAMPLE = 30

t.test('admin sets up a round from nothing to fieldwork', async (t) => {
  const page = await e2e.pageAs(t, ADMIN)

  // Create the round: an empty name and no dates first.
  await page.goto('/rounds')
  await e2e.checkA11y(t, page, 'rounds list')
  await page.locator('[data-qa="new-round"]').click()
  await onPath(page, '/rounds/new')
  await e2e.checkA11y(t, page, 'create round')
  await page.getByRole('button', { name: 'Create round' }).click()
  const summary = page.locator('.govuk-error-summary')
  await summary.waitFor()
  t.match(await page.title(), /^Error: /, 'the title says there is an error')
  await t.resolveMatch(summary.textContent(), /Enter a name for the round/)
  await t.resolveMatch(summary.textContent(), /Enter the date the period starts/)
  t.ok(await errorSummaryFocused(page), 'the error summary has focus after the failed submit')
  await e2e.checkA11y(t, page, 'create round with errors')
  await e2e.screenshot(page, 'round-create-errors')
  await summary.getByRole('link', { name: 'Enter a name for the round' }).click()
  t.equal(await page.evaluate(() => document.activeElement?.id), 'name', 'the summary link takes focus to the field')

  await page.getByLabel('Name of the round').fill(ROUND_NAME)
  const from = page.getByRole('group', { name: 'Period covered starts' })
  await from.getByLabel('Day').fill('1')
  await from.getByLabel('Month').fill('1')
  await from.getByLabel('Year').fill('2026')
  const to = page.getByRole('group', { name: 'Period covered ends' })
  await to.getByLabel('Day').fill('30')
  await to.getByLabel('Month').fill('6')
  await to.getByLabel('Year').fill('2026')
  await page.getByRole('button', { name: 'Create round' }).click()
  await onPath(page, /^\/rounds\/\d+$/)
  const roundUrl = new URL(page.url()).pathname
  await t.resolveMatch(
    page.locator('.govuk-notification-banner').textContent(),
    new RegExp(`Round “${ROUND_NAME}” created`),
  )
  await t.resolveMatch(page.locator('[data-qa="round-details"]').textContent(), /1 January 2026 to 30 June 2026/)
  await t.resolveMatch(
    page.locator('[data-qa="population-count"]').textContent(),
    /No population has been imported yet/,
  )
  await e2e.checkA11y(t, page, 'round (draft)')
  await e2e.screenshot(page, 'round-draft')

  // Import the population through the browser's file upload.
  await page.getByRole('link', { name: 'Import or view the population' }).click()
  await onPath(page, `${roundUrl}/population`)
  await e2e.checkA11y(t, page, 'population import')
  const csv = [
    ...generatePopulationCsv({
      cases: POPULATION,
      seed: 'e2e-spring-2026',
      periodFrom: '2026-01-15',
      periodTo: '2026-06-15',
    }),
  ].join('')
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: 'spring-2026.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByRole('button', { name: 'Upload and check' }).click()
  await page.waitForURL(/\/population\/jobs\//)
  // The job page polls while the import runs and reloads itself with the result.
  await page.locator('[data-qa="import-done"]').waitFor({ timeout: 30_000 })
  await t.resolveMatch(page.locator('[data-qa="import-done"]').textContent(), /300 cases from spring-2026\.csv/)
  await e2e.checkA11y(t, page, 'population import result')
  await e2e.screenshot(page, 'population-imported')
  await page.getByRole('link', { name: 'Back to the population' }).first().click()
  await onPath(page, `${roundUrl}/population`)
  await t.resolveMatch(page.locator('dd[data-qa="population-count"]').textContent(), /^\s*300\s*$/)
  await t.resolveMatch(page.locator('[data-qa="last-import"]').textContent(), /spring-2026\.csv, 300 cases/)
  await e2e.checkA11y(t, page, 'population (imported)')

  await page.goto(roundUrl)
  await t.resolveMatch(page.locator('[data-qa="population-count"]').textContent(), /300 cases in the population/)

  // Move to sampling, through the confirmation page.
  await page.locator('[data-qa="next-stage"]').click()
  await onPath(page, `${roundUrl}/status/sampling`)
  await t.resolveMatch(page.locator('h1').textContent(), /Move the round from draft to sampling\?/)
  await e2e.checkA11y(t, page, 'move round: confirm')
  await page.locator('[data-qa="confirm-transition"]').click()
  await onPath(page, `${roundUrl}`)
  await t.resolveMatch(page.locator('.govuk-notification-banner').textContent(), /Round moved to sampling/)
  await t.resolveMatch(page.locator('[data-qa="round-details"]').textContent(), /Sampling/)
  await e2e.checkA11y(t, page, 'round (sampling)')

  // The planner refreshes its figures with htmx as the choices change.
  await page.getByRole('link', { name: 'Plan the sample' }).click()
  await onPath(page, `${roundUrl}/planner`)
  await e2e.checkA11y(t, page, 'sample planner')
  await e2e.screenshot(page, 'planner')
  const strata = page.locator('[data-qa="strata-table"] tbody th')
  t.ok((await strata.allTextContents()).includes('Carlisle'), 'stratified by district at first')
  const planner = `${roundUrl}/planner`
  await htmxResponse(page, planner, () => page.getByLabel('Offence group').check())
  t.ok(
    (await strata.allTextContents()).includes('Theft (including burglary)'),
    'the strata are offence groups after the change',
  )
  t.notOk((await strata.allTextContents()).includes('Carlisle'))
  t.match(page.url(), /stratifyBy=offence_group/, 'the address follows the choices')
  await htmxResponse(page, planner, () => page.getByLabel(/^Equal:/).check())
  const takes = await page.locator('[data-qa="strata-table"] tbody tr td:nth-child(4)').allTextContents()
  t.ok(takes.length > 1, 'several strata')
  const sizeInput = page.getByLabel('Sample size (optional)')
  await htmxResponse(page, planner, async () => {
    await sizeInput.fill(String(SAMPLE))
    await sizeInput.blur()
  })
  await t.resolveMatch(
    page.locator('[data-qa="strata-table"] caption').textContent(),
    /How the 30 cases are shared out/,
  )
  await e2e.checkA11y(t, page, 'sample planner after an htmx update')

  // Without JavaScript the planner is a plain GET form.
  const plain = await e2e.pageAs(t, ADMIN, { javaScriptEnabled: false })
  await plain.goto(planner)
  await plain.getByLabel('Offence group').check()
  await plain.getByLabel('Sample size (optional)').fill('40')
  await plain.getByRole('button', { name: 'Update the plan' }).click()
  await plain.waitForURL(/stratifyBy=offence_group/)
  await t.resolveMatch(
    plain.locator('[data-qa="strata-table"] caption').textContent(),
    /How the 40 cases are shared out/,
  )
  t.ok(
    (await plain.locator('[data-qa="strata-table"] tbody th').allTextContents()).includes('Theft (including burglary)'),
    'offence groups without JavaScript too',
  )
  await e2e.checkA11y(t, plain, 'sample planner (no JavaScript)')

  // Draw the sample with a chosen seed.
  await page.getByLabel('Seed (optional)').fill('e2e-seed')
  await page.getByRole('button', { name: `Draw ${SAMPLE} cases` }).click()
  await onPath(page, `${roundUrl}/sample`)
  await t.resolveMatch(
    page.locator('.govuk-notification-banner').textContent(),
    /Sample drawn: 30 cases with seed e2e-seed/,
  )
  await e2e.checkA11y(t, page, 'sample')
  await e2e.screenshot(page, 'sample')
  const drawn = await page.locator('[data-qa="sample-cases"] tbody tr td:first-child').allTextContents()
  t.equal(drawn.length, SAMPLE, 'the sample lists every drawn case')

  // The manifest: comment lines, then one row per drawn case in draw order.
  const manifest = await download(page, page.locator('[data-qa="manifest-link"]'))
  t.match(manifest.name, /^round-\d+-sample-manifest\.csv$/)
  const text = manifest.body.toString('utf8')
  t.match(text, /^# seed: e2e-seed\r?$/m, 'the manifest keeps the seed')
  const rows = parse(text, { comment: '#', columns: true, skip_empty_lines: true }) as Record<string, string>[]
  t.same(Object.keys(rows[0] ?? {}), [...manifestColumns], 'the manifest has its header')
  t.same(rows.map((r) => r.case_ref).sort(), [...drawn].sort(), 'the manifest holds exactly the drawn cases')

  // Allocate between both auditors, then move to fieldwork.
  await page.getByRole('navigation', { name: 'Round pages' }).getByRole('link', { name: 'Allocation' }).click()
  await onPath(page, `${roundUrl}/allocation`)
  await e2e.checkA11y(t, page, 'allocation')
  await page.getByRole('button', { name: `Allocate ${SAMPLE} cases` }).click()
  await page.waitForURL((url) => url.pathname === `${roundUrl}/allocation`)
  await page.locator('.govuk-notification-banner').waitFor()
  await t.resolveMatch(page.locator('.govuk-notification-banner').textContent(), /30 cases allocated/)
  const loads = (await page.locator('[data-qa="auditor-loads"] tbody td:nth-child(3)').allTextContents()).map(Number)
  t.equal(
    loads.reduce((a, b) => a + b, 0),
    SAMPLE,
    'every case is with an auditor',
  )
  t.ok(
    loads.every((n) => n >= SAMPLE / 2 - 1),
    `the cases are shared out evenly: ${loads.join(', ')}`,
  )
  await e2e.checkA11y(t, page, 'allocation done')
  await e2e.screenshot(page, 'allocation')

  await page.goto(roundUrl)
  await page.locator('[data-qa="next-stage"]').click()
  await onPath(page, `${roundUrl}/status/fieldwork`)
  await e2e.checkA11y(t, page, 'move round: confirm fieldwork')
  await page.locator('[data-qa="confirm-transition"]').click()
  await onPath(page, `${roundUrl}`)
  await t.resolveMatch(page.locator('.govuk-notification-banner').textContent(), /Round moved to fieldwork/)
  await t.resolveMatch(page.locator('[data-qa="round-details"]').textContent(), /Fieldwork/)
  await e2e.checkA11y(t, page, 'round (fieldwork)')
  await e2e.screenshot(page, 'round-fieldwork')
})
