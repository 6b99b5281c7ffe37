// Horizontal bar chart of rates with their interval as whiskers, drawn on the server as SVG.
// Accessible as one image (role="img" with a title and a description); the page puts the same
// figures in a table beside it, which is what screen-reader users read.
// Two layouts: 'wide' puts each label to the left of its bar; 'narrow' (for phones) puts it on a
// line of its own above the bar, so the text can stay large in a small box.
import {
  chartOpening,
  clip,
  colours,
  esc,
  FONT,
  keepInside,
  NARROW_WIDTH,
  num,
  pct,
  type ChartOptions,
  type RateDatum,
} from './svg.ts'

export type BarDatum = RateDatum
export type BarChartOptions = ChartOptions<BarDatum>

const BAR = 16
const BOTTOM = 34

interface Geometry {
  width: number
  font: number
  /** Left and right of the plot. */
  plotLeft: number
  plotRight: number
  top: number
  /** Height of one datum's row, and where its bar starts within it. */
  row: number
  barOffset: number
  /** Where the label goes: left of the bar ('beside') or on the line above it ('above'). */
  label: 'beside' | 'above'
  clipAt: number
}

function geometry(o: BarChartOptions): Geometry {
  if (o.layout === 'narrow') {
    const width = o.width ?? NARROW_WIDTH
    return {
      width,
      font: FONT.narrow,
      plotLeft: 16,
      plotRight: width - 62,
      top: 44,
      row: 50,
      barOffset: 24,
      label: 'above',
      clipAt: Math.floor(width / (FONT.narrow * 0.62)),
    }
  }
  const width = o.width ?? 680
  return {
    width,
    font: FONT.wide,
    plotLeft: 200,
    plotRight: width - 70,
    top: 40,
    row: 30,
    barOffset: (30 - BAR) / 2,
    label: 'beside',
    clipAt: 28,
  }
}

export function barChart(o: BarChartOptions): string {
  const g = geometry(o)
  const { width, plotLeft, plotRight, top: TOP, row: ROW } = g
  const plotWidth = plotRight - plotLeft
  const height = TOP + Math.max(1, o.data.length) * ROW + BOTTOM
  const plotBottom = TOP + o.data.length * ROW
  const x = (v: number) => plotLeft + Math.min(1, Math.max(0, v)) * plotWidth
  const parts = chartOpening(o, { width, height, font: g.font })

  // Axis and gridlines every 20%.
  for (let t = 0; t <= 100; t += 20) {
    const gx = num(x(t / 100))
    parts.push(
      `<line x1="${gx}" y1="${TOP - 4}" x2="${gx}" y2="${plotBottom}" stroke="${colours.grid}" stroke-width="1"/>`,
    )
    parts.push(`<text x="${gx}" y="${plotBottom + 18}" text-anchor="middle" fill="${colours.axis}">${t}%</text>`)
  }
  parts.push(
    `<line x1="${plotLeft}" y1="${TOP - 4}" x2="${plotLeft}" y2="${plotBottom}" stroke="${colours.axis}" ` +
      `stroke-width="1"/>`,
  )

  o.data.forEach((d, i) => {
    const top = TOP + i * ROW + g.barOffset
    const mid = top + BAR / 2
    if (g.label === 'beside')
      parts.push(
        `<text x="${plotLeft - 8}" y="${num(mid + 4)}" text-anchor="end" ` +
          `fill="${colours.text}">${esc(clip(d.label, g.clipAt))}</text>`,
      )
    else
      parts.push(
        `<text x="0" y="${num(top - 8)}" font-weight="bold" ` +
          `fill="${colours.text}">${esc(clip(d.label, g.clipAt))}</text>`,
      )
    if (d.value === null) {
      parts.push(`<text x="${plotLeft + 6}" y="${num(mid + 4)}" fill="${colours.axis}">No applicable cases</text>`)
      return
    }
    parts.push(
      `<rect x="${plotLeft}" y="${num(top)}" width="${num(x(d.value) - plotLeft)}" height="${BAR}" ` +
        `fill="${colours.bar}"/>`,
    )
    if (d.lower !== null && d.upper !== null) {
      const lx = num(x(d.lower))
      const ux = num(x(d.upper))
      parts.push(
        `<line x1="${lx}" y1="${num(mid)}" x2="${ux}" y2="${num(mid)}" stroke="${colours.whisker}" stroke-width="2"/>`,
        `<line x1="${lx}" y1="${num(mid - 6)}" x2="${lx}" y2="${num(mid + 6)}" stroke="${colours.whisker}" ` +
          `stroke-width="2"/>`,
        `<line x1="${ux}" y1="${num(mid - 6)}" x2="${ux}" y2="${num(mid + 6)}" stroke="${colours.whisker}" ` +
          `stroke-width="2"/>`,
      )
    }
    parts.push(`<text x="${plotRight + 8}" y="${num(mid + 4)}" fill="${colours.text}">${pct(d.value)}</text>`)
  })

  // Labels alternate between two heights so close thresholds do not print over each other, and
  // move inwards where a threshold near either end would push them out of the box.
  ;(o.guides ?? []).forEach((guide, i) => {
    const gx = x(guide.value)
    parts.push(
      `<line x1="${num(gx)}" y1="${TOP - 4}" x2="${num(gx)}" y2="${plotBottom}" stroke="${colours.text}" ` +
        `stroke-width="1.5" stroke-dasharray="5 4"/>`,
    )
    parts.push(
      `<text x="${num(keepInside(gx, guide.label, g.font, width))}" y="${i % 2 === 0 ? TOP - 8 : TOP - 22}" ` +
        `text-anchor="middle" fill="${colours.text}">${esc(guide.label)}</text>`,
    )
  })

  parts.push('</svg>')
  return parts.join('')
}
