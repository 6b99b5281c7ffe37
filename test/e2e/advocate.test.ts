// The Victims' Advocate in a real browser: records an observation (refused first for a postcode
// in the text, with the error summary saying why), shares it, and proposes a finding from it;
// the police lead then reads it, without JavaScript. axe on every page on the way, and no console
// error or CSP violation anywhere.
import t from 'tap'
import { errorSummaryFocused, startE2E } from '../fixtures/browser.ts'

const e2e = await startE2E(t)
const MARK = 'Browser journey: no update for six weeks'

t.test('record an observation, share it, propose a finding from it', async (t) => {
  const adv = await e2e.pageAs(t, 'advocate@qaf.example')
  await adv.goto('/')
  await t.resolveMatch(adv.locator('h1').textContent(), /Victims' Advocate/)
  await t.resolveMatch(adv.locator('[data-qa="home-observations"]').textContent(), /Cumbria|Victim|Crown|HM/)
  await e2e.checkA11y(t, adv, 'home: advocate')

  await adv.getByRole('link', { name: 'Record an observation' }).click()
  await adv.waitForURL('**/observations/new')
  await e2e.checkA11y(t, adv, 'observations: record')
  await adv.locator('#observedOn').fill('14')
  await adv.locator('#observedOn-month').fill('10')
  await adv.locator('#observedOn-year').fill('2025')
  await adv.getByLabel('Service or agency observed').selectOption({ label: 'Cumbria Constabulary' })
  await adv.getByRole('radio', { name: 'Police station' }).check()
  await adv.getByRole('radio', { name: 'Meeting with a victim' }).check()
  await adv.getByRole('checkbox', { name: 'Communication and Information' }).check()
  await adv.getByRole('checkbox', { name: /^Right 6:/ }).check()
  await adv.getByLabel('What went well').fill('The officer in the case apologised and explained the delay.')
  await adv.getByLabel('What could improve').fill(`${MARK}. The victim lives at CA1 2AB.`)
  await adv.getByRole('radio', { name: 'Inadequate' }).check()
  await adv.getByRole('button', { name: 'Save observation' }).click()

  t.ok(await errorSummaryFocused(adv), 'the error summary takes focus')
  await t.resolveMatch(
    adv.locator('.govuk-error-summary').textContent(),
    /What could improve contains what looks like a postcode \(CA1 2AB\): remove it/,
  )
  await t.resolveMatch(adv.locator('#couldImprove').inputValue(), /CA1 2AB/, 'the text is kept to correct')
  await e2e.checkA11y(t, adv, 'observations: record, refused for a postcode')
  await adv.getByLabel('What could improve').fill(`${MARK}.`)
  await adv.getByRole('button', { name: 'Save observation' }).click()
  await adv.waitForURL(/\/observations\/\d+$/)
  const url = new URL(adv.url()).pathname
  await t.resolveMatch(adv.locator('.govuk-notification-banner').textContent(), /only you can see it/)
  await t.resolveMatch(adv.locator('[data-qa="sharing"]').textContent(), /Only you can see this observation/)
  await e2e.checkA11y(t, adv, 'observations: one, private')

  // The police lead cannot see it yet.
  const pol = await e2e.pageAs(t, 'police@qaf.example', { javaScriptEnabled: false })
  const before = await pol.goto(url)
  t.equal(before?.status(), 404, 'not found by the agency before sharing')

  await adv.getByRole('button', { name: /^Share with the partnership/ }).click()
  await adv.waitForURL(`**${url}`)
  await t.resolveMatch(adv.locator('[data-qa="sharing"]').textContent(), /Shared on/)

  // Propose a finding from it.
  await adv.locator('[data-qa="propose"]').click()
  await adv.waitForURL(/\/propose$/)
  await e2e.checkA11y(t, adv, 'observations: propose a finding')
  await t.resolveMatch(adv.getByLabel('Recommendation').inputValue(), MARK, 'pre-filled from what could improve')
  if ((await adv.locator('input[name="items"]:checked').count()) === 0)
    await adv.locator('input[name="items"]').first().check()
  await adv.getByLabel('Title').fill('Victims not updated during the investigation')
  await adv.getByRole('radio', { name: 'High' }).check()
  await adv.getByRole('button', { name: 'Propose finding' }).click()
  await adv.waitForURL(/\/findings\/\d+$/)
  await t.resolveMatch(adv.locator('[data-qa="finding-status"]').textContent(), /Proposed/)
  await adv.goto(url)
  await t.resolveMatch(
    adv.locator('[data-qa="linked-finding"]').textContent(),
    /Evidence for the finding Victims not updated during the investigation/,
  )
  await adv.goto('/')
  await t.resolveMatch(adv.locator('[data-qa="home-proposals"]').textContent(), /Victims not updated/)

  // Themes and the board's summary.
  await adv.goto('/observations/themes')
  await t.resolveMatch(adv.locator('[data-qa="recurring"]').textContent(), /Communication and Information/)
  await e2e.checkA11y(t, adv, 'observations: themes')
  await adv.goto('/observations/summary?year=2025')
  await e2e.checkA11y(t, adv, 'observations: annual summary')
  await adv.goto('/observations')
  await e2e.checkA11y(t, adv, 'observations: list (advocate)')
  // The filter answers with the list alone (htmx), and the address follows it.
  await adv.getByLabel('Rating').selectOption({ label: 'Inadequate' })
  await adv.getByRole('button', { name: 'Show' }).click()
  await adv.waitForURL(/rating=inadequate/)
  const ratings = await adv.locator('[data-qa="observation-row"] .govuk-tag').first().textContent()
  t.match(ratings, /Inadequate/)
  t.equal(
    await adv.locator('[data-qa="observation-row"]').filter({ hasNotText: 'Inadequate' }).count(),
    0,
    'every row shown is rated inadequate',
  )

  // Shared: the police lead reads it, without JavaScript.
  await pol.goto(url)
  await t.resolveMatch(pol.locator('main').textContent(), MARK)
  await e2e.checkA11y(t, pol, 'observations: one, read by the agency observed')
  await pol.goto('/observations')
  await e2e.checkA11y(t, pol, 'observations: list (agency lead)')
})
