// A rate across rounds: a line through the estimates inside a shaded band for the interval,
// drawn on the server as SVG. Rounds with no estimate break the line rather than dropping to 0.
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

export interface TrendDatum extends RateDatum {
  /** Measured only approximately (a partial crosswalk match): drawn as an open circle. */
  caveat?: boolean
}

export type TrendChartOptions = ChartOptions<TrendDatum>

const TOP = 20
// A white outline under each figure keeps it legible where a band or a threshold line passes behind.
const HALO = ` stroke="${colours.white}" stroke-width="4" stroke-linejoin="round" paint-order="stroke"`
const PLOT_HEIGHT = 220

// Thresholds are named in the right margin, clear of the points and their figures.
// 'wide': round names slant under their points, which sit far enough in for the first name to fit.
// 'narrow' (phones): names run straight up and down, so points need only room for their labels.
const LAYOUTS = {
  wide: { left: 52, right: 84, bottom: 96, inset: 72, angle: -35, font: FONT.wide, width: 680 },
  narrow: { left: 44, right: 80, bottom: 160, inset: 28, angle: -90, font: FONT.narrow, width: NARROW_WIDTH },
}

/**
 * Where a point's figure goes so that it stays clear of the line: above a peak or a flat stretch,
 * below a trough, and to the upper side away from the rise where the line runs through the point.
 */
function labelPlace(values: readonly (number | null)[], i: number): 'above' | 'below' | 'left' | 'right' {
  const v = values[i] as number
  const neighbours = [values[i - 1], values[i + 1]].filter((n): n is number => n != null)
  const higher = neighbours.filter((n) => n > v).length
  if (higher === 0) return 'above'
  if (higher === neighbours.length) return 'below'
  // One neighbour higher, one not: rising to the right means the upper left is clear.
  return (values[i + 1] as number) > v ? 'left' : 'right'
}

export function trendChart(o: TrendChartOptions): string {
  const L = LAYOUTS[o.layout ?? 'wide']
  const { left: LEFT, right: RIGHT, bottom: BOTTOM, inset: INSET, font } = L
  const width = o.width ?? L.width
  const height = TOP + PLOT_HEIGHT + BOTTOM
  const plotBottom = TOP + PLOT_HEIGHT
  const plotWidth = width - LEFT - RIGHT
  const span = plotWidth - 2 * INSET
  const step = o.data.length > 1 ? span / (o.data.length - 1) : 0
  const xAt = (i: number) => (o.data.length > 1 ? LEFT + INSET + i * step : LEFT + plotWidth / 2)
  const y = (v: number) => plotBottom - Math.min(1, Math.max(0, v)) * PLOT_HEIGHT
  const parts = chartOpening(o, { width, height, font })

  for (let t = 0; t <= 100; t += 20) {
    const gy = num(y(t / 100))
    parts.push(
      `<line x1="${LEFT}" y1="${gy}" x2="${width - RIGHT}" y2="${gy}" stroke="${colours.grid}" stroke-width="1"/>`,
    )
    parts.push(`<text x="${LEFT - 8}" y="${num(y(t / 100) + 4)}" text-anchor="end" fill="${colours.axis}">${t}%</text>`)
  }

  // Thresholds go under the data, so a figure's white outline keeps it legible across them.
  // Names sit level with their line; two thresholds close together are pushed a line apart.
  let lastY = Number.NEGATIVE_INFINITY
  ;[...(o.guides ?? [])]
    .sort((a, b) => b.value - a.value)
    .forEach((g) => {
      const gy = y(g.value)
      const ty = Math.max(gy + font / 3, lastY + font + 2)
      lastY = ty
      parts.push(
        `<line x1="${LEFT}" y1="${num(gy)}" x2="${width - RIGHT}" y2="${num(gy)}" stroke="${colours.text}" ` +
          `stroke-width="1.5" stroke-dasharray="5 4"/>`,
      )
      parts.push(`<text x="${width - RIGHT + 6}" y="${num(ty)}" fill="${colours.text}">${esc(g.label)}</text>`)
    })

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
      parts.push(
        `<polygon points="${[...upper, ...lower].join(' ')}" fill="${colours.band}" fill-opacity="0.18" ` +
          `stroke="none"/>`,
      )
    } else if (withBand.length === 1) {
      const i = withBand[0] as number
      const d = o.data[i]
      parts.push(
        `<rect x="${num(xAt(i) - 6)}" y="${num(y(d?.upper ?? 0))}" width="12" ` +
          `height="${num(y(d?.lower ?? 0) - y(d?.upper ?? 0))}" fill="${colours.band}" fill-opacity="0.18"/>`,
      )
    }
    if (seg.length > 1) {
      parts.push(
        `<polyline points="${seg.map((i) => `${num(xAt(i))},${num(y(o.data[i]?.value ?? 0))}`).join(' ')}" ` +
          `fill="none" stroke="${colours.bar}" stroke-width="2.5"/>`,
      )
    }
  }

  const values = o.data.map((d) => d.value)
  o.data.forEach((d, i) => {
    const cx = num(xAt(i))
    if (d.value !== null) {
      const cy = num(y(d.value))
      parts.push(
        `<circle cx="${cx}" cy="${cy}" r="5" fill="${d.caveat ? colours.white : colours.bar}" ` +
          `stroke="${colours.bar}" stroke-width="2"/>`,
      )
      const text = pct(d.value)
      const place = labelPlace(values, i)
      const py = y(d.value)
      if (place === 'left')
        parts.push(
          `<text x="${num(xAt(i) - 8)}" y="${num(py - 8)}" text-anchor="end" ` +
            `fill="${colours.text}"${HALO}>${text}</text>`,
        )
      else if (place === 'right')
        parts.push(`<text x="${num(xAt(i) + 8)}" y="${num(py - 8)}" fill="${colours.text}"${HALO}>${text}</text>`)
      else
        parts.push(
          `<text x="${num(keepInside(xAt(i), text, font, width))}" ` +
            `y="${num(place === 'above' ? py - 10 : py + font + 8)}" text-anchor="middle" ` +
            `fill="${colours.text}"${HALO}>${text}</text>`,
        )
    } else {
      parts.push(
        `<text x="${cx}" y="${num(plotBottom - 8)}" text-anchor="middle" fill="${colours.axis}">no data</text>`,
      )
    }
    // Names run down from just under the axis; the wide layout's slant leaves them room on the left.
    const ly = plotBottom + (L.angle === -90 ? 10 : 18)
    const lx = L.angle === -90 ? num(xAt(i) + font / 3) : cx
    parts.push(
      `<text x="${lx}" y="${ly}" text-anchor="end" fill="${colours.text}" transform="rotate(${L.angle} ${lx} ` +
        `${ly})">${esc(clip(d.label, 20))}</text>`,
    )
  })

  parts.push('</svg>')
  return parts.join('')
}
