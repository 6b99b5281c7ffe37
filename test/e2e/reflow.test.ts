// Reflow (WCAG 1.4.10): the main pages at 320 CSS pixels wide (1280 px at 400% zoom) and at 640
// (200% zoom) never scroll sideways as a whole; a table too wide for the screen scrolls inside its
// own region, which the keyboard can reach and which says what it holds.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { scrollsSideways, startE2E } from '../fixtures/browser.ts'

const e2e = await startE2E(t)
const widths = [320, 640]

/** Regions that scroll sideways but that a keyboard user could not reach or would not know. */
function unreachableScrollers(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main *')]
      .filter(
        (el) => el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX),
      )
      .filter((el) => {
        const focusable =
          el.getAttribute('tabindex') === '0' &&
          el.getAttribute('role') === 'region' &&
          Boolean(el.getAttribute('aria-label'))
        return !focusable && el.querySelector('a[href], input, select, textarea, button') === null
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
  )
}

/** Wide tables at this width, each with whether it sits in a labelled, focusable scroll region. */
function wideTables(page: Page): Promise<{ inRegion: boolean }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main table')]
      .filter((table) => table.scrollWidth > document.documentElement.clientWidth)
      .map((table) => {
        const region = table.closest<HTMLElement>('.app-table-wrapper')
        return {
          inRegion:
            region !== null &&
            region.getAttribute('role') === 'region' &&
            region.tabIndex === 0 &&
            region.scrollWidth > region.clientWidth,
        }
      }),
  )
}

async function checkReflow(t: Test, page: Page, name: string, path: string, width: number) {
  await page.goto(path)
  await page.locator('main h1').first().waitFor()
  t.notOk(await scrollsSideways(page), `${name} at ${width} px: no sideways scrolling`)
  t.same(
    await unreachableScrollers(page),
    [],
    `${name} at ${width} px: every scrolling region can be reached by keyboard`,
  )
  const wide = await wideTables(page)
  t.ok(
    wide.every((w) => w.inRegion),
    `${name} at ${width} px: ${wide.length ? `${wide.length} wide table(s) scroll in their own labelled region` : 'no table is too wide'}`,
  )
  await e2e.checkA11y(t, page, `${name} at ${width} px`)
  if (width === 320) await e2e.screenshot(page, `${name.replace(/\W+/g, '-')}-320`)
  return wide.length
}

type Journey = { email: string; pages: { name: string; path: string | ((page: Page) => Promise<string>) }[] }

const journeys: Journey[] = [
  {
    email: 'admin@qaf.example',
    pages: [
      { name: 'round page', path: '/rounds/2' },
      { name: 'sample planner', path: '/rounds/2/planner' },
      { name: 'scores dashboard', path: '/scores/rounds/1' },
      { name: 'trends', path: '/scores/trends' },
    ],
  },
  {
    email: 'auditor@qaf.example',
    pages: [
      { name: 'worklist', path: '/worklist' },
      {
        name: 'case page',
        path: async (page) => {
          await page.goto('/worklist?status=in_progress')
          return (await page.locator('[data-qa="worklist-table"] tbody a').first().getAttribute('href')) ?? '/worklist'
        },
      },
    ],
  },
  {
    email: 'advocate@qaf.example',
    pages: [
      { name: 'advocate home', path: '/' },
      { name: 'observation form', path: '/observations/new' },
      { name: 'observation themes', path: '/observations/themes?trend=service' },
      { name: 'annual summary', path: '/observations/summary?year=2025' },
    ],
  },
]

for (const width of widths) {
  t.test(`main pages at ${width} px wide`, async (t) => {
    let wideSeen = 0
    for (const journey of journeys) {
      const page = await e2e.pageAs(t, journey.email, { viewport: { width, height: 900 } })
      for (const p of journey.pages) {
        const path = typeof p.path === 'string' ? p.path : await p.path(page)
        wideSeen += await checkReflow(t, page, p.name, path, width)
      }
    }
    if (width === 320)
      t.ok(wideSeen > 0, 'some tables are wider than the screen at 320 px, so the regions were really tested')
  })
}
