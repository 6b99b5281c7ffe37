// The Victims' Advocate's dip sample of a commissioned service in a real browser: the case on
// their worklist, its questions answered with autosave, the case completed, and the services'
// scores read; axe-clean throughout.
import t from 'tap'
import { and, eq } from 'drizzle-orm'
import { answers, rounds } from '../../schema/index.ts'
import { htmxResponse, startE2E } from '../fixtures/browser.ts'
import { addPopulationCase, allocateCase, createRound } from '../fixtures/review.ts'

const e2e = await startE2E(t)
const ADVOCATE = 'advocate@qaf.example'
const ANSWER_PATH = /^\/cases\/\d+\/answers\//

// A dip sample in fieldwork, with one Victim Support case file allocated to the advocate.
const dip = createRound(e2e.db, {
  name: 'Dip sample, winter 2025',
  agencies: ['Victim Support', 'Bridgeway', 'Remedi'],
})
e2e.db.update(rounds).set({ framework: 'commissioned_services' }).where(eq(rounds.id, dip)).run()
const caseId = allocateCase(
  e2e.db,
  dip,
  addPopulationCase(e2e.db, dip, {
    caseRef: 'VS-25-0901',
    reportedOn: '2025-10-06',
    offenceGroup: 'violence',
    flags: { domesticAbuse: 0, under18: 0 },
    agencyRef: 'Victim Support',
    events: [
      { type: 'service_referral', date: '2025-10-08' },
      { type: 'service_closed', date: '2025-11-21' },
    ],
  }),
  { auditor: ADVOCATE },
)
const published = e2e.db.select().from(rounds).where(eq(rounds.framework, 'commissioned_services')).all()

t.test('the advocate opens a commissioned-services case from their worklist and answers it', async (t) => {
  const page = await e2e.pageAs(t, ADVOCATE)
  await page.goto('/worklist')
  await e2e.checkA11y(t, page, 'advocate worklist')
  await page.getByRole('link', { name: /VS-25-0901/ }).click()
  await page.waitForURL(new RegExp(`/cases/${caseId}$`))
  await t.resolveMatch(page.locator('[data-qa="item-count"]').textContent(), /6 questions of the commissioned-services/)
  await e2e.checkA11y(t, page, 'dip-sample case (not started)')
  await e2e.screenshot(page, 'commissioned-case')

  const items = page.locator('[data-qa="review-item"]')
  t.equal(await items.count(), 6, 'the six commissioned-services questions')
  // Grouped by theme, so first contact (Communication and Information) is not first on the page.
  const first = items.filter({ hasText: "CS1 First contact within the service's target" })
  t.equal(await first.count(), 1)
  await t.resolveMatch(first.locator('[data-qa="item-edition"]').textContent(), /Commissioned services/)

  // First contact on the day after the referral: within the two-working-day target.
  await htmxResponse(page, ANSWER_PATH, () => first.getByLabel('Met', { exact: true }).check())
  const fid = ((await first.getAttribute('id')) ?? '').slice('item-'.length)
  // The date saves when it is left (a change event), with its three parts filled.
  await first.getByLabel('Day').fill('9')
  await first.getByLabel('Month').fill('10')
  await first.getByLabel('Year').fill('2025')
  await htmxResponse(
    page,
    ANSWER_PATH,
    () => page.keyboard.press('Tab'),
    (form) => form.get(`${fid}-evidence-day`) === '9' && form.get(`${fid}-evidence-year`) === '2025',
  )
  await t.resolveMatch(page.locator(`#${fid}-status`).textContent(), /^Saved at/, 'the answer saved by itself')
  // Referred on Wednesday 8 October: the two-working-day target fell on Friday 10 October.
  t.match(
    e2e.db
      .select()
      .from(answers)
      .where(and(eq(answers.sampleCaseId, caseId), eq(answers.itemId, 'CS1')))
      .get(),
    { outcome: 'met', evidenceDate: '2025-10-09', dueDate: '2025-10-10', daysLate: 0 },
  )

  const count = await items.count()
  for (let i = 0; i < count; i++) {
    const item = items.nth(i)
    if (await item.locator('input[type="radio"]:checked').count()) continue
    await htmxResponse(page, ANSWER_PATH, () => item.getByLabel('Not evidenced').check())
  }
  await t.resolveMatch(page.locator('[data-qa="progress-count"]').textContent(), /6 of 6/)
  await e2e.checkA11y(t, page, 'dip-sample case (answered)')
  await page.locator('[data-qa="complete-case"]').click()
  await page.waitForURL((url) => url.pathname === `/cases/${caseId}` && url.searchParams.get('done') === 'complete')
  await t.resolveMatch(page.locator('.govuk-notification-banner').textContent(), /The case is complete/)
  await e2e.checkA11y(t, page, 'dip-sample case (complete)')
})

t.test("the advocate reads the published dip sample's scores by service", async (t) => {
  const page = await e2e.pageAs(t, ADVOCATE)
  const demo = published.find((r) => r.status === 'published')
  t.ok(demo, 'the demo dip sample is published')
  await page.goto(`/scores/rounds/${demo?.id}`)
  await t.resolveMatch(page.locator('main').textContent(), /Commissioned services/)
  for (const service of ['Victim Support', 'Bridgeway', 'Remedi']) {
    await t.resolveMatch(
      page.locator('[data-qa="heatmap-row"]', { hasText: service }).first().textContent(),
      /95% interval/,
      service,
    )
  }
  await e2e.checkA11y(t, page, 'dip-sample scores')
})
