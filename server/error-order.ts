// The GOV.UK error summary lists problems in the order the fields appear on the page. Routes
// collect errors in the order they check them (a schema's key order, facts before answers, a
// late refusal...), which need not be the page's, so the rendered page puts its own summary in
// order: each entry goes where its field's id first appears in the page.
const LIST = /(<ul class="govuk-list govuk-error-summary__list">)([\s\S]*?)(<\/ul>)/
const ITEM = /<li>[\s\S]*?<\/li>/g

export function errorSummaryInPageOrder(html: string): string {
  const m = LIST.exec(html)
  if (!m) return html
  const items = m[2]?.match(ITEM) ?? []
  if (items.length < 2) return html
  const after = m.index + m[0].length
  const position = (item: string): number => {
    const target = /href="#([^"]+)"/.exec(item)?.[1]
    if (!target) return Number.POSITIVE_INFINITY
    const at = html.indexOf(`id="${target}"`, after)
    // Not on the page (a problem with the form as a whole): after the fields, in its own order.
    return at < 0 ? Number.POSITIVE_INFINITY : at
  }
  // A stable sort keeps the route's order among entries with no field.
  const sorted = items.map((item, i) => ({ item, i, at: position(item) })).sort((a, b) => a.at - b.at || a.i - b.i)
  const body = `\n${sorted.map((s) => `        ${s.item}`).join('\n')}\n      `
  return html.slice(0, m.index) + m[1] + body + m[3] + html.slice(after)
}
