// Layout as a person sees it (issue 14): the case-facts events table fits a phone and a desktop,
// and chart text stays legible and inside its chart at both widths.
import t from 'tap'
import type { Page } from 'playwright-core'
import { scrollsSideways, startE2E } from '../fixtures/browser.ts'

const e2e = await startE2E(t)

async function casePage(page: Page): Promise<void> {
  await page.goto('/worklist?status=in_progress')
  const href = await page.locator('[data-qa="worklist-table"] tbody a').first().getAttribute('href')
  if (!href) throw new Error('no case in progress in the demo data')
  await page.goto(href)
  await page.locator('[data-qa="events-table"]').waitFor()
}

t.test('events table at 390 px: every field of every event is on screen, nothing scrolls sideways', async (t) => {
  const page = await e2e.pageAs(t, 'auditor@qaf.example', { viewport: { width: 390, height: 900 } })
  await casePage(page)
  const outside = await page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLElement>(
        '[data-qa="events-table"] input:not([type="hidden"]), [data-qa="events-table"] select, [data-qa="events-table"] label, [data-qa="events-table"] td, [data-qa="events-table"] th',
      ),
    ]
      .filter((el) => el.getClientRects().length > 0 && !el.closest('thead'))
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 1 && (r.left < 0 || r.right > window.innerWidth))
      .map(
        ({ el, r }) =>
          `${el.tagName.toLowerCase()}#${el.id || (el as HTMLLabelElement).htmlFor || ''} ${Math.round(r.left)}–${Math.round(r.right)}`,
      ),
  )
  t.same(outside, [], 'no part of the events table extends beyond the 390 px viewport')
  t.notOk(await scrollsSideways(page), 'the page does not scroll sideways')
  t.ok(
    await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    'document.scrollWidth <= innerWidth',
  )
  // The fields are labelled on screen once the column headings are out of sight.
  await t.resolveMatch(
    page.locator('label[for="events-3-type"]').isVisible(),
    true,
    'an event field shows its own label',
  )
  const headings = await page.locator('[data-qa="events-table"] thead').boundingBox()
  t.ok(headings && headings.height <= 1, 'the column headings give way to the labels')
  await e2e.checkA11y(t, page, 'case page events at 390 px')
  await e2e.screenshot(page, 'case-events-390')
})

t.test('events table at 1280 px: each date on one line and "Remove" shown whole', async (t) => {
  const page = await e2e.pageAs(t, 'auditor@qaf.example', { viewport: { width: 1280, height: 900 } })
  await casePage(page)
  const rows = await page.evaluate(() => {
    const wrapper = document
      .querySelector<HTMLElement>('[data-qa="events-table"]')
      ?.closest<HTMLElement>('.app-table-wrapper')
    const dates = [...document.querySelectorAll<HTMLElement>('[data-qa="events-table"] .govuk-date-input')].map((d) => {
      const tops = [...d.querySelectorAll('input')].map((i) => Math.round(i.getBoundingClientRect().top))
      return new Set(tops).size === 1 && tops.length === 3
    })
    const removes = [
      ...document.querySelectorAll<HTMLLabelElement>('[data-qa="events-table"] .govuk-checkboxes__label'),
    ].map((label) => {
      const r = label.getBoundingClientRect()
      const box = (wrapper ?? document.documentElement).getBoundingClientRect()
      // The word itself, not the label's box (its visually hidden part would count as overflow).
      const word = document.createRange()
      word.selectNodeContents(label.firstChild as Node)
      const w = word.getBoundingClientRect()
      return (
        label.firstChild?.textContent === 'Remove' &&
        word.getClientRects().length === 1 &&
        w.right <= Math.min(r.right, box.right) + 0.5 &&
        w.left >= box.left
      )
    })
    return { dates, removes, tableScrolls: wrapper ? wrapper.scrollWidth > wrapper.clientWidth + 1 : true }
  })
  t.ok(
    rows.dates.length > 0 && rows.dates.every(Boolean),
    `Day, Month and Year are on one line in all ${rows.dates.length} editable rows`,
  )
  t.ok(
    rows.removes.length > 0 && rows.removes.every(Boolean),
    `"Remove" is whole and inside the table in all ${rows.removes.length} rows that have it`,
  )
  t.notOk(rows.tableScrolls, 'the events table fits its column without scrolling')
  await e2e.screenshot(page, 'case-events-1280')
})

/** Every visible chart's text: rendered size, whether it leaves its chart, and whether a point's figure crosses the line. */
function chartText(page: Page) {
  return page.evaluate(() => {
    const visible = [...document.querySelectorAll<SVGSVGElement>('svg.app-scores-chart')].filter(
      (svg) => svg.getClientRects().length > 0,
    )
    const small: string[] = []
    const cut: string[] = []
    const onLine: string[] = []
    for (const svg of visible) {
      const box = svg.getBoundingClientRect()
      const ctm = svg.getScreenCTM()
      if (!ctm) continue
      const lines = [...svg.querySelectorAll('polyline')].map((pl) =>
        (pl.getAttribute('points') ?? '').split(' ').map((p) => {
          const [x, y] = p.split(',').map(Number)
          return new DOMPoint(x, y).matrixTransform(ctm)
        }),
      )
      for (const text of svg.querySelectorAll<SVGTextElement>('text')) {
        const m = text.getScreenCTM() ?? ctm
        const size = Number.parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b)
        const r = text.getBoundingClientRect()
        const what = `"${text.textContent}" in ${svg.id || svg.getAttribute('aria-labelledby')}`
        if (size < 12) small.push(`${what}: ${size.toFixed(1)} px`)
        if (
          r.left < box.left - 0.5 ||
          r.right > box.right + 0.5 ||
          r.top < box.top - 0.5 ||
          r.bottom > box.bottom + 0.5
        )
          cut.push(what)
        if (!text.hasAttribute('paint-order')) continue
        // A point's figure: no point of the line may fall inside its box.
        const hit = lines.some((pts) =>
          pts.slice(1).some((b, k) => {
            const a = pts[k] as DOMPoint
            for (let s = 0; s <= 1; s += 0.01) {
              const x = a.x + (b.x - a.x) * s
              const y = a.y + (b.y - a.y) * s
              if (x > r.left + 1 && x < r.right - 1 && y > r.top + 1 && y < r.bottom - 1) return true
            }
            return false
          }),
        )
        if (hit) onLine.push(what)
      }
    }
    return {
      charts: visible.length,
      small,
      cut,
      onLine,
      figures: visible.reduce((n, svg) => n + svg.querySelectorAll('text[paint-order]').length, 0),
    }
  })
}

for (const width of [390, 1280]) {
  t.test(`charts at ${width} px: text 12 px or more, inside the chart, figures clear of the line`, async (t) => {
    const page = await e2e.pageAs(t, 'admin@qaf.example', { viewport: { width, height: 900 } })
    for (const [name, path] of [
      ['dashboard', '/scores/rounds/1'],
      ['trend', '/scores/trends?measure=overall'],
    ] as const) {
      await page.goto(path)
      const text = await chartText(page)
      t.equal(text.charts, 1, `${name}: one chart shows at ${width} px`)
      t.same(text.small, [], `${name}: no chart text renders below 12 px`)
      t.same(text.cut, [], `${name}: no chart text is cut by the chart's edge`)
      t.same(text.onLine, [], `${name}: no point's figure crosses the line`)
      if (name === 'trend') t.ok(text.figures >= 2, `${name}: the figures were really checked (${text.figures})`)
      t.notOk(await scrollsSideways(page), `${name}: the page does not scroll sideways`)
      await e2e.checkA11y(t, page, `${name} chart at ${width} px`)
      await e2e.screenshot(page, `chart-${name}-${width}`)
    }
  })
}
