// The auditor's case review in a real browser: with JavaScript (htmx autosave, inline errors, the
// error summary taking focus after a failed full save, a keyboard-only pass through the form) and
// without it (one whole-page form, Post/Redirect/Get, an error summary linking to the fields).
import t from 'tap'
import type { Locator, Page } from 'playwright-core'
import { errorSummaryFocused, htmxResponse, startE2E } from '../fixtures/browser.ts'

const e2e = await startE2E(t)
const AUDITOR = 'auditor@qaf.example'
const ANSWER_PATH = /^\/cases\/\d+\/answers\//

/** The field id of one obligation on the case page (its element is `item-<fid>`). */
async function fidOf(item: Locator): Promise<string> {
  const id = await item.getAttribute('id')
  if (!id?.startsWith('item-')) throw new Error(`not a review item: ${id}`)
  return id.slice('item-'.length)
}

/** The not-started cases on the auditor's worklist, as links in the order shown. */
async function notStartedCases(page: Page): Promise<string[]> {
  await page.goto('/worklist?status=not_started')
  return page
    .locator('[data-qa="worklist-table"] tbody a')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
}

t.test('auditor reviews a case with autosave, inline errors and the keyboard', async (t) => {
  const page = await e2e.pageAs(t, AUDITOR)

  await page.goto('/worklist')
  await e2e.checkA11y(t, page, 'worklist')
  await e2e.screenshot(page, 'worklist')
  const rows = page.locator('[data-qa="worklist-row"]')
  const all = await rows.count()
  await htmxResponse(page, '/worklist', () => page.getByLabel('Status').selectOption({ label: 'Not started' }))
  const statuses = await rows.locator('.govuk-tag').allTextContents()
  t.ok(statuses.length > 0 && statuses.length < all, `the filter narrows the list (${statuses.length} of ${all})`)
  t.ok(
    statuses.every((s) => s.trim() === 'Not started'),
    'only cases not started',
  )
  await t.resolveMatch(
    page.locator('[data-qa="worklist-count"]').textContent(),
    new RegExp(`^${statuses.length} cases?$`),
  )
  t.match(page.url(), /status=not_started/, 'the address follows the filter')
  await e2e.checkA11y(t, page, 'worklist filtered')

  await rows.first().getByRole('link').click()
  await page.waitForURL(/\/cases\/\d+$/)
  const caseUrl = new URL(page.url()).pathname
  await e2e.checkA11y(t, page, 'case (not started)')
  await e2e.screenshot(page, 'case-not-started')

  // Autosave: an outcome, then a note typed key by key; both survive a reload.
  const items = page.locator('[data-qa="review-item"]')
  const first = items.nth(0)
  const fid = await fidOf(first)
  const saved = await htmxResponse(page, ANSWER_PATH, () => first.getByLabel('Met', { exact: true }).check())
  await t.resolveMatch(
    page.locator(`#${fid}-status`).textContent(),
    /^Saved at \d{1,2}:\d{2}/,
    'the outcome saved by itself',
  )
  // The page is one form; an autosave sends only its own answer's fields, not the whole page.
  const sentNames = [...new URLSearchParams(saved.request().postData() ?? '').keys()]
  t.ok(
    sentNames.includes(`${fid}-outcome`) && sentNames.every((n) => n.startsWith(`${fid}-`)),
    `the autosave sent only this answer's fields (${sentNames.join(', ')})`,
  )
  await htmxResponse(
    page,
    ANSWER_PATH,
    () => first.getByLabel('Note').pressSequentially('Letter on file'),
    (form) => form.get(`${fid}-note`) === 'Letter on file',
  )
  await t.resolveMatch(page.locator(`#${fid}-status`).textContent(), /^Saved at/, 'the note saved after typing stopped')
  await page.reload()
  t.ok(await first.getByLabel('Met', { exact: true }).isChecked(), 'after a reload the outcome is still chosen')
  t.equal(await first.getByLabel('Note').inputValue(), 'Letter on file', 'after a reload the note is still there')
  await e2e.checkA11y(t, page, 'case (in progress)')

  // A rule broken while autosaving: partly met needs a note; the error shows beside the field.
  const second = items.nth(1)
  const fid2 = await fidOf(second)
  const bad = await htmxResponse(page, ANSWER_PATH, () => second.getByLabel('Partially met').check())
  t.equal(bad.status(), 400, 'the server refuses the answer')
  await t.resolveMatch(
    page.locator(`#${fid2}-status`).textContent(),
    /^Not saved: Enter a note saying what was done and what was missing/,
  )
  await t.resolveMatch(
    page.locator(`#${fid2}-note-slot .govuk-error-message`).textContent(),
    /Enter a note saying what was done and what was missing/,
  )
  await e2e.checkA11y(t, page, 'case with an inline error')
  await e2e.screenshot(page, 'case-inline-error')

  // The same mistake sent with the whole form: the page comes back with an error summary, which
  // GOV.UK Frontend focuses, and its link takes focus to the field.
  await page.locator('[data-qa="save-all"]').click()
  const summary = page.locator('.govuk-error-summary')
  await summary.waitFor()
  t.match(await page.title(), /^Error: /)
  t.ok(await errorSummaryFocused(page), 'the error summary has focus after the failed save')
  const link = summary.getByRole('link', { name: /Enter a note saying what was done/ })
  t.equal(await link.getAttribute('href'), `#${fid2}-note`, 'the summary links to the note')
  t.ok(await second.getByLabel('Partially met').isChecked(), 'what was chosen is shown again')
  await e2e.checkA11y(t, page, 'case with errors after a full save')
  await link.click()
  t.equal(
    await page.evaluate(() => document.activeElement?.id),
    `${fid2}-note`,
    'the summary link moves focus to the note',
  )
  await htmxResponse(
    page,
    ANSWER_PATH,
    () => page.keyboard.type('Told by phone; nothing in writing'),
    (form) => form.get(`${fid2}-note`) === 'Told by phone; nothing in writing',
  )
  await t.resolveMatch(page.locator(`#${fid2}-status`).textContent(), /^Saved at/)
  t.equal(await page.locator(`#${fid2}-note-slot .govuk-error-message`).count(), 0, 'the inline error has gone')

  await t.test('keyboard only: tab order, visible focus, no trap', async (t) => {
    await page.goto(caseUrl)
    // Every focus stop is recorded as it happens, with whether the GOV.UK focus colour shows.
    await page.evaluate(() => {
      const yellow = 'rgb(255, 221, 0)'
      const stops: Array<{
        id: string
        name: string | null
        tag: string
        visible: boolean
        afterForm: boolean
        inForm: boolean
        skip: boolean
      }> = []
      ;(window as unknown as { focusStops: typeof stops }).focusStops = stops
      const form = document.getElementById('case-form') as HTMLElement
      document.addEventListener('focusin', (event) => {
        const el = event.target as HTMLElement
        const looks = [getComputedStyle(el)]
        // GOV.UK radios and checkboxes draw their focus ring on the label's ::before.
        const label = (el as HTMLInputElement).labels?.[0]
        if (label && /radio|checkbox/.test((el as HTMLInputElement).type))
          looks.push(getComputedStyle(label, '::before'))
        const visible = looks.some(
          (s) =>
            [s.outlineColor, s.boxShadow, s.backgroundColor, s.borderColor].some((v) => v.includes(yellow)) &&
            (s.outlineStyle !== 'none' || s.boxShadow !== 'none' || s.backgroundColor.includes(yellow)),
        )
        stops.push({
          id: el.id,
          name: el.getAttribute('name'),
          tag: el.tagName.toLowerCase(),
          visible,
          inForm: form.contains(el),
          afterForm: Boolean(form.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) && !form.contains(el),
          skip: el.classList.contains('govuk-skip-link'),
        })
      })
    })
    // The same test on a field without focus finds no focus style, so a pass below means something.
    t.notOk(
      await page.evaluate((id) => {
        const s = getComputedStyle(document.getElementById(id) as HTMLElement)
        return [s.outlineColor, s.boxShadow, s.backgroundColor, s.borderColor].some((v) =>
          v.includes('rgb(255, 221, 0)'),
        )
      }, `${fid}-note`),
      'an unfocused field has no focus colour',
    )
    type Stop = {
      id: string
      name: string | null
      tag: string
      visible: boolean
      afterForm: boolean
      inForm: boolean
      skip: boolean
    }
    const stops = () => page.evaluate(() => (window as unknown as { focusStops: Stop[] }).focusStops)
    // Tab until focus comes round to the skip link again: the whole page, once.
    let recorded: Stop[] = []
    for (let presses = 0; presses < 1500; presses += 25) {
      for (let i = 0; i < 25; i++) await page.keyboard.press('Tab')
      recorded = await stops()
      if (recorded.filter((s) => s.skip).length >= 2) break
    }
    const wrap = recorded.findIndex((s, i) => i > 0 && s.skip)
    t.ok(wrap > 0, `focus went through the page and came back to the top after ${wrap} stops`)
    const pass = recorded.slice(0, wrap)
    t.ok(pass[0]?.skip, 'the first stop is the skip link')

    const firstItem = pass.findIndex((s) => s.name === `${fid}-outcome`)
    t.ok(firstItem > 0, 'Tab reaches the first obligation’s outcome')
    t.same(
      pass.slice(firstItem, firstItem + 5).map((s) => s.id.replace(/-\d+$/, '')),
      [`${fid}-outcome`, `${fid}-evidence-day`, `${fid}-evidence-month`, `${fid}-evidence-year`, `${fid}-note`],
      'then its evidence date, day, month and year, then its note, in that order',
    )
    t.same(
      pass.filter((s) => !s.visible).map((s) => `${s.tag}#${s.id || s.name}`),
      [],
      `every one of the ${pass.length} focus stops shows the GOV.UK focus style`,
    )
    const inForm = pass.filter((s) => s.inForm).length
    const lastInForm = pass.findLastIndex((s) => s.inForm)
    t.ok(inForm > 10, `${inForm} stops inside the review form`)
    t.ok(
      pass.slice(lastInForm + 1).some((s) => s.afterForm),
      'after the form, focus moves on to what follows it (no keyboard trap); the footer holds no links, so the pass ends at the last control on the page',
    )
    t.ok(
      pass.at(-1)?.afterForm,
      `the last stop before coming round again is after the form (${pass.at(-1)?.tag}#${pass.at(-1)?.id})`,
    )
  })

  // Answer everything left, then complete the case.
  await page.goto(caseUrl)
  const count = await items.count()
  for (let i = 0; i < count; i++) {
    const item = items.nth(i)
    if (await item.locator('input[type="radio"]:checked').count()) continue
    await htmxResponse(page, ANSWER_PATH, () => item.getByLabel('Not evidenced').check())
  }
  await t.resolveMatch(page.locator('[data-qa="progress-count"]').textContent(), new RegExp(`${count} of ${count}`))
  await page.locator('[data-qa="complete-case"]').click()
  await page.waitForURL((url) => url.pathname === caseUrl && url.searchParams.get('done') === 'complete')
  await t.resolveMatch(page.locator('.govuk-notification-banner').textContent(), /The case is complete/)
  await t.resolveMatch(page.locator('[data-qa="case-summary"]').textContent(), /Complete/)
  t.equal(await page.locator('[data-qa="case-form"]').count(), 0, 'a complete case can no longer be changed')
  await e2e.checkA11y(t, page, 'case (complete)')
  await e2e.screenshot(page, 'case-complete')
})

t.test('auditor reviews a case without JavaScript', async (t) => {
  const page = await e2e.pageAs(t, AUDITOR, { javaScriptEnabled: false })
  const [caseUrl] = await notStartedCases(page)
  if (!caseUrl) throw new Error('no case left to review')
  await e2e.checkA11y(t, page, 'worklist (no JavaScript)')
  await page.goto(caseUrl)
  await e2e.checkA11y(t, page, 'case (no JavaScript)')
  await e2e.screenshot(page, 'case-no-js')
  t.equal(
    await page.locator('form#case-form button[type="submit"]').count(),
    1,
    'the whole page is one form with one save button',
  )

  const items = page.locator('[data-qa="review-item"]')
  const first = items.nth(0)
  const second = items.nth(1)
  const fid2 = await fidOf(second)
  await first.getByLabel('Met', { exact: true }).check()
  await second.getByLabel('Partially met').check()
  await page.locator('[data-qa="save-all"]').click()
  const summary = page.locator('.govuk-error-summary')
  await summary.waitFor()
  t.match(await page.title(), /^Error: /, 'the title says there is an error')
  t.ok(await page.locator('main > .govuk-error-summary').first().isVisible(), 'the error summary opens the page')
  // Without JavaScript nothing moves focus: the summary is first in the page instead.
  const link = summary.getByRole('link', { name: /Enter a note saying what was done/ })
  t.equal(await link.getAttribute('href'), `#${fid2}-note`, 'the summary links to the field')
  await t.resolveMatch(
    page.locator(`#${fid2}-note-error`).textContent(),
    /Enter a note/,
    'the field shows its own error',
  )
  t.ok(await first.getByLabel('Met', { exact: true }).isChecked(), 'the answers sent are shown again')
  t.ok(await second.getByLabel('Partially met').isChecked())
  await e2e.checkA11y(t, page, 'case with errors (no JavaScript)')
  await e2e.screenshot(page, 'case-errors-no-js')
  await link.click()
  t.equal(new URL(page.url()).hash, `#${fid2}-note`, 'the link goes to the note')

  // Nothing was saved by the refused form; the corrected one saves all of it and redirects.
  await second.getByLabel('Note').fill('Told by phone; nothing in writing')
  await page.locator('[data-qa="save-all"]').click()
  await page.waitForURL((url) => url.pathname === caseUrl && url.searchParams.get('done') === 'saved')
  await t.resolveMatch(page.locator('.govuk-notification-banner').textContent(), /Your answers have been saved/)
  await e2e.checkA11y(t, page, 'case saved (no JavaScript)')
  await page.reload()
  t.ok(
    await first.getByLabel('Met', { exact: true }).isChecked(),
    'after the redirect and a reload the answers are there',
  )
  t.equal(await second.getByLabel('Note').inputValue(), 'Told by phone; nothing in writing')

  const count = await items.count()
  for (let i = 2; i < count; i++) await items.nth(i).getByLabel('Not evidenced').check()
  await page.locator('[data-qa="save-all"]').click()
  await page.waitForURL((url) => url.pathname === caseUrl && url.searchParams.get('done') === 'saved')
  await t.resolveMatch(page.locator('[data-qa="progress-count"]').textContent(), new RegExp(`${count} of ${count}`))
  await page.locator('[data-qa="complete-case"]').click()
  await page.waitForURL((url) => url.pathname === caseUrl && url.searchParams.get('done') === 'complete')
  await t.resolveMatch(page.locator('.govuk-notification-banner').textContent(), /The case is complete/)
  await e2e.checkA11y(t, page, 'case (complete, no JavaScript)')
})
