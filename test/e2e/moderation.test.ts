// The moderator's journey in a real browser, on the demo round in moderation: second-mark the
// case left for them (autosave), resolve every disagreement, read the agreement report and
// publish. Axe runs on every new page.
import t from 'tap'
import type { Page } from 'playwright-core'
import { htmxResponse, startE2E } from '../fixtures/browser.ts'

const e2e = await startE2E(t)
const IN_MODERATION = 'Summer 2025 audit'
const PUBLISHED = 'Winter 2024/25 audit'

/** A round's overview, reached as a person would: by its link on the rounds list. */
async function openRound(page: Page, name: string): Promise<string> {
  await page.goto('/rounds')
  await page.getByRole('link', { name, exact: true }).click()
  await page.waitForURL(/\/rounds\/\d+$/)
  return new URL(page.url()).pathname
}

/** One of the round's own pages, by its link in the round's navigation. */
async function roundNav(page: Page, text: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Round pages' }).getByRole('link', { name: text, exact: true }).click()
  await page.waitForLoadState()
}

t.test('a moderator second-marks a case, resolves the disagreements and publishes', async (t) => {
  const page = await e2e.pageAs(t, 'moderator@qaf.example')

  await page.goto('/')
  await t.resolveMatch(
    page.locator('[data-qa="home-moderation"]').textContent(),
    /1 case to second-mark, 1 case with disagreements to resolve/,
  )
  await page.getByRole('link', { name: 'Go to moderation work' }).click()
  await page.waitForURL(/\/moderation$/)
  await e2e.checkA11y(t, page, 'moderation worklist')

  // Second marking: the review form, blind, saving each answer as it is chosen.
  await page.locator('[data-qa="to-mark"] a').first().click()
  await page.waitForURL(/\/cases\/\d+$/)
  await page.locator('[data-qa="second-marking"]').waitFor()
  await e2e.checkA11y(t, page, 'case (second marking)')
  const items = page.locator('[data-qa="review-item"]')
  const n = await items.count()
  t.ok(n > 0, `${n} obligations to mark`)
  for (let i = 0; i < n; i++) {
    await htmxResponse(page, /^\/cases\/\d+\/answers\//, () =>
      items.nth(i).getByLabel('Not evidenced', { exact: true }).check(),
    )
  }
  await page.locator('[data-qa="complete-second"]').waitFor()
  await page
    .getByRole('group', { name: /Does the file bear out the case facts/ })
    .getByLabel('Yes', { exact: true })
    .check()
  await page.getByRole('button', { name: 'Finish second marking' }).click()
  await t.resolveMatch(
    page.locator('.govuk-notification-banner').first().textContent(),
    /Your second marking is complete/,
  )

  // Resolving: each disagreement of each case on the worklist, with a reason.
  await page.goto('/moderation')
  const toResolve = await page
    .locator('[data-qa="to-resolve"] a')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
  t.ok(toResolve.length >= 1, `${toResolve.length} cases with disagreements`)
  let checked = false
  for (const href of toResolve) {
    await page.goto(href)
    if (!checked) {
      await e2e.checkA11y(t, page, 'moderation case (three marks)')
      checked = true
    }
    for (;;) {
      const form = page
        .locator('form[data-qa^="resolve-"]')
        .filter({ has: page.getByRole('button', { name: /^Record final outcome/ }) })
        .first()
      if ((await form.count()) === 0) break
      await form.getByLabel(/^Final outcome for/).selectOption({ label: 'Met' })
      await form.getByLabel('Reason').fill('The file shows it was done')
      await form.getByRole('button', { name: /^Record final outcome/ }).click()
      await t.resolveMatch(
        page.locator('.govuk-notification-banner').first().textContent(),
        /Final outcome for .* recorded/,
      )
    }
  }
  await page.goto('/moderation')
  await t.resolveMatch(page.locator('[data-qa="count-to-resolve"]').textContent(), '0')

  const round = await openRound(page, IN_MODERATION)
  await roundNav(page, 'Agreement')
  await page.waitForURL(`**${round}/agreement`)
  await e2e.checkA11y(t, page, 'agreement report')
  t.ok((await page.locator('[data-qa="disagreements"] tbody tr').count()) > 0, 'the disagreements are listed')
  await roundNav(page, 'Moderation')
  await page.waitForURL(`**${round}/moderation`)
  await e2e.checkA11y(t, page, 'round moderation')

  // Publish: the gate now lets it through.
  await roundNav(page, 'Overview')
  await page.waitForURL(`**${round}`)
  await page.locator('[data-qa="next-stage"]').click()
  await page.waitForURL(/\/status\/published$/)
  await e2e.checkA11y(t, page, 'move round: confirm publish')
  await page.locator('[data-qa="confirm-transition"]').click()
  await t.resolveMatch(page.locator('.govuk-notification-banner').first().textContent(), /Round moved to published/)
})

t.test("axe: the published round's agreement report, with its prevalence-paradox note", async (t) => {
  const page = await e2e.pageAs(t, 'admin@qaf.example')
  const round = await openRound(page, PUBLISHED)
  await roundNav(page, 'Agreement')
  await page.waitForURL(`**${round}/agreement`)
  await page.locator('[data-qa="paradox"]').first().waitFor()
  await e2e.checkA11y(t, page, 'agreement report (published round)')
})
