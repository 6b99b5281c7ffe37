// A rate across rounds: a line through the estimates inside a shaded band for the interval,
// drawn on the server as SVG. Rounds with no estimate break the line rather than dropping to 0.
import { clip, colours, esc, num, pct, safeId, type ChartOptions, type RateDatum } from './svg.ts'

export interface TrendDatum extends RateDatum {
  /** Measured only approximately (a partial crosswalk match): drawn as an open circle. */
  caveat?: boolean
}

export type TrendChartOptions = ChartOptions<TrendDatum>

const LEFT = 52
const RIGHT = 24
const TOP = 20
const PLOT_HEIGHT = 220
const BOTTOM = 96
// Points sit this far inside the plot so the slanted round names under the first one fit.
const INSET = 72

export function trendChart(o: TrendChartOptions): string {
  const width = o.width ?? 680
  const height = TOP + PLOT_HEIGHT + BOTTOM
  const plotBottom = TOP + PLOT_HEIGHT
  const plotWidth = width - LEFT - RIGHT
  const span = plotWidth - 2 * INSET
  const step = o.data.length > 1 ? span / (o.data.length - 1) : 0
  const xAt = (i: number) => (o.data.length > 1 ? LEFT + INSET + i * step : LEFT + plotWidth / 2)
  const y = (v: number) => plotBottom - Math.min(1, Math.max(0, v)) * PLOT_HEIGHT
  const id = safeId(o.id)
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-scores-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="GDS Transport, arial, sans-serif" font-size="13">`,
    `<title id="${id}-title">${esc(o.title)}</title>`,
    `<desc id="${id}-desc">${esc(o.description)}</desc>`,
  ]

  for (let t = 0; t <= 100; t += 20) {
    const gy = num(y(t / 100))
    parts.push(`<line x1="${LEFT}" y1="${gy}" x2="${width - RIGHT}" y2="${gy}" stroke="${colours.grid}" stroke-width="1"/>`)
    parts.push(`<text x="${LEFT - 8}" y="${num(y(t / 100) + 4)}" text-anchor="end" fill="${colours.axis}">${t}%</text>`)
  }

  // Consecutive rounds with an estimate form one segment: its band, then its line.
  const segments: number[][] = []
  let current: number[] = []
  o.data.forEach((d, i) => {
    if (d.value === null) {
      if (current.length) segments.push(current)
      current = []
    } else current.push(i)
  })
  if (current.length) segments.push(current)

  for (const seg of segments) {
    const withBand = seg.filter((i) => o.data[i]?.lower != null && o.data[i]?.upper != null)
    if (withBand.length > 1) {
      const upper = withBand.map((i) => `${num(xAt(i))},${num(y(o.data[i]?.upper ?? 0))}`)
      const lower = withBand
        .slice()
        .reverse()
        .map((i) => `${num(xAt(i))},${num(y(o.data[i]?.lower ?? 0))}`)
      parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${colours.band}" fill-opacity="0.18" stroke="none"/>`)
    } else if (withBand.length === 1) {
      const i = withBand[0] as number
      const d = o.data[i]
      parts.push(
        `<rect x="${num(xAt(i) - 6)}" y="${num(y(d?.upper ?? 0))}" width="12" height="${num(y(d?.lower ?? 0) - y(d?.upper ?? 0))}" fill="${colours.band}" fill-opacity="0.18"/>`,
      )
    }
    if (seg.length > 1) {
      parts.push(`<polyline points="${seg.map((i) => `${num(xAt(i))},${num(y(o.data[i]?.value ?? 0))}`).join(' ')}" fill="none" stroke="${colours.bar}" stroke-width="2.5"/>`)
    }
  }

  o.data.forEach((d, i) => {
    const cx = num(xAt(i))
    if (d.value !== null) {
      const cy = num(y(d.value))
      parts.push(`<circle cx="${cx}" cy="${cy}" r="5" fill="${d.caveat ? colours.white : colours.bar}" stroke="${colours.bar}" stroke-width="2"/>`)
      parts.push(`<text x="${cx}" y="${num(y(d.value) - 10)}" text-anchor="middle" fill="${colours.text}">${pct(d.value)}</text>`)
    } else {
      parts.push(`<text x="${cx}" y="${num(plotBottom - 8)}" text-anchor="middle" fill="${colours.axis}">no data</text>`)
    }
    parts.push(
      `<text x="${cx}" y="${plotBottom + 18}" text-anchor="end" fill="${colours.text}" transform="rotate(-35 ${cx} ${plotBottom + 18})">${esc(clip(d.label, 20))}</text>`,
    )
  })

  ;(o.guides ?? []).forEach((g) => {
    const gy = num(y(g.value))
    parts.push(`<line x1="${LEFT}" y1="${gy}" x2="${width - RIGHT}" y2="${gy}" stroke="${colours.text}" stroke-width="1.5" stroke-dasharray="5 4"/>`)
    parts.push(`<text x="${width - RIGHT}" y="${num(y(g.value) - 4)}" text-anchor="end" fill="${colours.text}">${esc(g.label)}</text>`)
  })

  parts.push('</svg>')
  return parts.join('')
}
