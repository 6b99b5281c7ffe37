// Horizontal bar chart of rates with their interval as whiskers, drawn on the server as SVG.
// Accessible as one image (role="img" with a title and a description); the page puts the same
// figures in a table beside it, which is what screen-reader users read.
import { clip, colours, esc, num, pct, safeId, type ChartOptions, type RateDatum } from './svg.ts'

export type BarDatum = RateDatum
export type BarChartOptions = ChartOptions<BarDatum>

const LABEL_WIDTH = 200
const VALUE_WIDTH = 70
const ROW = 30
const BAR = 16
const TOP = 34
const BOTTOM = 34

export function barChart(o: BarChartOptions): string {
  const width = o.width ?? 680
  const plotLeft = LABEL_WIDTH
  const plotRight = width - VALUE_WIDTH
  const plotWidth = plotRight - plotLeft
  const height = TOP + Math.max(1, o.data.length) * ROW + BOTTOM
  const plotBottom = TOP + o.data.length * ROW
  const x = (v: number) => plotLeft + Math.min(1, Math.max(0, v)) * plotWidth
  const id = safeId(o.id)
  const parts: string[] = []

  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-scores-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="GDS Transport, arial, sans-serif" font-size="13">`,
    `<title id="${id}-title">${esc(o.title)}</title>`,
    `<desc id="${id}-desc">${esc(o.description)}</desc>`,
  )

  // Axis and gridlines every 20%.
  for (let t = 0; t <= 100; t += 20) {
    const gx = num(x(t / 100))
    parts.push(`<line x1="${gx}" y1="${TOP - 4}" x2="${gx}" y2="${plotBottom}" stroke="${colours.grid}" stroke-width="1"/>`)
    parts.push(`<text x="${gx}" y="${plotBottom + 18}" text-anchor="middle" fill="${colours.axis}">${t}%</text>`)
  }
  parts.push(`<line x1="${plotLeft}" y1="${TOP - 4}" x2="${plotLeft}" y2="${plotBottom}" stroke="${colours.axis}" stroke-width="1"/>`)

  o.data.forEach((d, i) => {
    const top = TOP + i * ROW + (ROW - BAR) / 2
    const mid = top + BAR / 2
    parts.push(`<text x="${plotLeft - 8}" y="${num(mid + 4)}" text-anchor="end" fill="${colours.text}">${esc(clip(d.label, 28))}</text>`)
    if (d.value === null) {
      parts.push(`<text x="${plotLeft + 6}" y="${num(mid + 4)}" fill="${colours.axis}">No applicable cases</text>`)
      return
    }
    parts.push(`<rect x="${plotLeft}" y="${num(top)}" width="${num(x(d.value) - plotLeft)}" height="${BAR}" fill="${colours.bar}"/>`)
    if (d.lower !== null && d.upper !== null) {
      const lx = num(x(d.lower))
      const ux = num(x(d.upper))
      parts.push(
        `<line x1="${lx}" y1="${num(mid)}" x2="${ux}" y2="${num(mid)}" stroke="${colours.whisker}" stroke-width="2"/>`,
        `<line x1="${lx}" y1="${num(mid - 6)}" x2="${lx}" y2="${num(mid + 6)}" stroke="${colours.whisker}" stroke-width="2"/>`,
        `<line x1="${ux}" y1="${num(mid - 6)}" x2="${ux}" y2="${num(mid + 6)}" stroke="${colours.whisker}" stroke-width="2"/>`,
      )
    }
    parts.push(`<text x="${plotRight + 8}" y="${num(mid + 4)}" fill="${colours.text}">${pct(d.value)}</text>`)
  })

  // Labels alternate between two heights so close thresholds do not print over each other.
  ;(o.guides ?? []).forEach((g, i) => {
    const gx = num(x(g.value))
    parts.push(`<line x1="${gx}" y1="${TOP - 4}" x2="${gx}" y2="${plotBottom}" stroke="${colours.text}" stroke-width="1.5" stroke-dasharray="5 4"/>`)
    parts.push(`<text x="${gx}" y="${i % 2 === 0 ? TOP - 8 : TOP - 22}" text-anchor="middle" fill="${colours.text}">${esc(g.label)}</text>`)
  })

  parts.push('</svg>')
  return parts.join('')
}
