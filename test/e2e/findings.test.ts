// Findings in a real browser: a moderator raises one from a score (pre-filled with its figures),
// issues it; the police lead, without JavaScript, responds, adds an action and records progress;
// the moderator accepts, closes the action and then the finding. axe on every new page, and no
// console error or CSP violation anywhere.
import t from 'tap'
import type { Page } from 'playwright-core'
import { eq } from 'drizzle-orm'
import { agencies } from '../../schema/index.ts'
import { todayIso } from '../../audits/calendar.ts'
import { errorSummaryFocused, scrollsSideways, startE2E } from '../fixtures/browser.ts'

const e2e = await startE2E(t)
const PUBLISHED = '/scores/rounds/1'
const TITLE = 'Browser journey finding'

function watchConsole(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (m) => {
    // The one 400 is the form shown again with its error summary, on purpose.
    if (/status of 400/.test(m.text())) return
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  return problems
}

t.test('raise from a score, respond, record progress, close', async (t) => {
  const police = e2e.db
    .select({ id: agencies.id })
    .from(agencies)
    .where(eq(agencies.name, 'Cumbria Constabulary'))
    .get()
  const mod = await e2e.pageAs(t, 'moderator@qaf.example')
  const modProblems = watchConsole(mod)

  // From the agency's scores to an item's case answers, and "Raise a finding from this score".
  await mod.goto(`${PUBLISHED}/agencies/${police?.id}`)
  await mod.locator('[data-qa="item-row"] th a').first().click()
  await mod.waitForURL(/\/items\/[^/]+$/)
  const figure = ((await mod.locator('main p.govuk-body').first().textContent()) ?? '').replace(/\s+/g, ' ')
  const rate = /(\d+\.\d%) \(n = (\d+)\)/.exec(figure)
  t.ok(rate, `the drill-down shows a figure (${figure.trim()})`)
  await mod.locator('[data-qa="raise-finding"]').click()
  await mod.waitForURL(/\/findings\/new\?/)
  await e2e.checkA11y(t, mod, 'findings: raise a finding')
  const evidence = ((await mod.locator('[data-qa="evidence-row"]').first().textContent()) ?? '').replace(/\s+/g, ' ')
  t.match(evidence, `${rate?.[1]} (n = ${rate?.[2]})`, 'pre-filled with the same figure')
  t.equal(await mod.locator('input[name="items"]:checked').count(), 1, 'the item is ticked')

  // Without a severity: the error summary, focused, and nothing saved.
  await mod.getByLabel('Title').fill(TITLE)
  await mod.getByLabel('Recommendation').fill('Record every referral and its date.')
  await mod.getByRole('button', { name: 'Save as draft' }).click()
  t.ok(await errorSummaryFocused(mod), 'the error summary takes focus')
  await t.resolveMatch(mod.locator('.govuk-error-summary').textContent(), /Select how serious the finding is/)
  await e2e.checkA11y(t, mod, 'findings: raise a finding with errors')
  await mod.getByRole('radio', { name: 'High' }).check()
  await mod.getByRole('button', { name: 'Save as draft' }).click()
  await mod.waitForURL(/\/findings\/\d+$/)
  const findingUrl = new URL(mod.url()).pathname
  await t.resolveMatch(mod.locator('[data-qa="finding-status"]').textContent(), /Draft/)
  await e2e.checkA11y(t, mod, 'findings: a draft finding')
  await mod.getByRole('button', { name: 'Issue to the agency' }).click()
  await mod.waitForURL(`**${findingUrl}`)
  await t.resolveMatch(mod.locator('[data-qa="finding-status"]').textContent(), /Awaiting response/)

  // The police lead, with JavaScript off: every form still works.
  const pol = await e2e.pageAs(t, 'police@qaf.example', { javaScriptEnabled: false })
  const polProblems = watchConsole(pol)
  await pol.goto('/')
  await t.resolveMatch(pol.locator('[data-qa="nav-count"]').textContent(), /\(\d+/, 'a count beside Findings')
  await e2e.checkA11y(t, pol, 'home: agency lead with findings')
  await pol.goto('/findings')
  await e2e.checkA11y(t, pol, 'findings: list (agency lead)')
  await pol.getByRole('link', { name: TITLE }).click()
  await pol.getByLabel('Your response').fill('We accept this. Referral dates will be recorded.')
  await pol.getByRole('button', { name: 'Send your response' }).click()
  await t.resolveMatch(pol.locator('[data-qa="finding-status"]').textContent(), /Responded/)
  await pol.getByLabel('What will be done').fill('Mandatory referral date field')
  await pol.locator('#due').fill('30')
  await pol.locator('#due-month').fill('6')
  await pol.locator('#due-year').fill('2031')
  await pol.getByRole('button', { name: 'Add action' }).click()
  await e2e.checkA11y(t, pol, 'findings: a finding with its actions')
  await pol.getByRole('link', { name: 'Mandatory referral date field' }).click()
  const today = todayIso()
  await pol.getByLabel('What has been done').fill('Field added to the crime report.')
  await pol.locator('#on').fill(String(Number(today.slice(8, 10))))
  await pol.locator('#on-month').fill(String(Number(today.slice(5, 7))))
  await pol.locator('#on-year').fill(today.slice(0, 4))
  await pol.getByRole('radio', { name: 'Done' }).check()
  await pol.getByRole('button', { name: 'Record progress' }).click()
  await t.resolveMatch(pol.locator('[data-qa="update"]').first().textContent(), /Field added to the crime report\./)
  await t.resolveMatch(pol.locator('[data-qa="action-status"]').textContent(), /Done/)
  t.equal(await pol.getByRole('button', { name: 'Close action' }).count(), 0, 'the agency cannot close it')
  await e2e.checkA11y(t, pol, 'findings: an action and its progress')

  // The moderator accepts, closes the action, then the finding.
  await mod.goto(findingUrl)
  await mod.getByRole('button', { name: 'Accept the response' }).click()
  await t.resolveMatch(mod.locator('[data-qa="blocked-closed"]').textContent(), /close every action/)
  await mod.getByRole('link', { name: 'Mandatory referral date field' }).click()
  await mod.getByRole('button', { name: 'Close action' }).click()
  await mod.waitForURL(`**${findingUrl}*`)
  await mod.getByRole('button', { name: 'Close the finding' }).click()
  await t.resolveMatch(mod.locator('[data-qa="finding-status"]').textContent(), /Closed/)
  await mod.goto('/')
  await e2e.checkA11y(t, mod, 'home: moderator with actions due')
  await mod.goto('/findings')
  await e2e.checkA11y(t, mod, 'findings: list (moderator)')
  await mod.goto('/findings/new')
  await e2e.checkA11y(t, mod, 'findings: choose round and agency')
  await mod.goto(`${PUBLISHED}/report`)
  await t.resolveMatch(mod.locator('[data-qa="report-findings"]').textContent(), new RegExp(TITLE))
  await e2e.checkA11y(t, mod, 'scores: report with findings')
  t.same([...modProblems, ...polProblems], [], 'no console errors or CSP violations')
})

t.test('reflow: the findings pages at 320 px never scroll sideways', async (t) => {
  const page = await e2e.pageAs(t, 'police@qaf.example', { viewport: { width: 320, height: 900 } })
  for (const path of ['/findings', '/findings/2', '/findings/actions/2']) {
    await page.goto(path)
    t.notOk(await scrollsSideways(page), `${path} at 320 px`)
  }
})
