import t from 'tap'
import { demoUsers } from '../../seeds/cumbria.ts'
import { errorSummaryFocused, scrollsSideways, signIn, startE2E } from '../fixtures/browser.ts'

const e2e = await startE2E(t)

t.test('every demo account signs in, sees its home page and signs out', async (t) => {
  for (const user of demoUsers) {
    const context = await e2e.context()
    const page = await context.newPage()
    await signIn(page, user.email)
    t.equal(new URL(page.url()).pathname, '/', `${user.email} lands on home`)
    await t.resolveMatch(page.locator('[data-qa="home-heading"]').textContent(), /\S/)
    await e2e.checkA11y(t, page, `home (${user.role})`)
    await e2e.screenshot(page, `home-${user.email.split('@')[0]}`)
    await page.locator('[data-qa="sign-out"]').click()
    await page.waitForURL('**/sign-in')
    await page.goto('/')
    t.match(new URL(page.url()).pathname, /^\/sign-in/, 'signed out: home redirects to sign in')
    await context.close()
  }
})

t.test('a failed sign-in shows the error summary and moves focus to it', async (t) => {
  const context = await e2e.context()
  const page = await context.newPage()
  await page.goto('/sign-in')
  await e2e.checkA11y(t, page, 'sign in')
  await page.getByLabel('Email address').fill('admin@qaf.example')
  await page.getByLabel('Password').fill('wrong')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  t.match(await page.title(), /^Error: /)
  t.ok(await errorSummaryFocused(page), 'GOV.UK Frontend focuses the error summary')
  await e2e.checkA11y(t, page, 'sign in with errors')
  await context.close()
})

t.test('sign-in works without JavaScript', async (t) => {
  const context = await e2e.context({ javaScriptEnabled: false })
  const page = await context.newPage()
  await signIn(page, 'viewer@qaf.example')
  t.equal(new URL(page.url()).pathname, '/')
  await context.close()
})

t.test('main pages fit a 320 px wide viewport without sideways scrolling', async (t) => {
  const context = await e2e.context({ viewport: { width: 320, height: 800 } })
  const page = await context.newPage()
  await page.goto('/sign-in')
  t.notOk(await scrollsSideways(page), 'sign in at 320 px')
  await signIn(page, 'admin@qaf.example')
  for (const path of ['/', '/admin/users', '/admin/agencies']) {
    await page.goto(path)
    t.notOk(await scrollsSideways(page), `${path} at 320 px`)
  }
  await context.close()
})

t.test('admin manages users in the browser', async (t) => {
  const context = await e2e.context()
  const page = await context.newPage()
  await signIn(page, 'admin@qaf.example')
  await page.goto('/admin/users')
  await e2e.checkA11y(t, page, 'users')
  await page.getByRole('button', { name: 'Add a user' }).click()
  await page.getByRole('button', { name: 'Add user' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  await e2e.checkA11y(t, page, 'add user with errors')
  await page.getByLabel('Name').fill('Robin Reviewer')
  await page.getByLabel('Email address').fill('robin@qaf.example')
  await page.getByLabel('Auditor').check()
  await page.getByLabel('Home agency').selectOption({ label: 'Cumbria Constabulary' })
  await page.getByLabel('Temporary password').fill('a-long-temporary-password')
  await page.getByRole('button', { name: 'Add user' }).click()
  await page.waitForURL('**/admin/users')
  await t.resolveMatch(page.locator('.govuk-notification-banner').textContent(), /Created robin@qaf.example/)
  await page.goto('/admin/agencies')
  await e2e.checkA11y(t, page, 'agencies')
  await context.close()
})
