// Small helpers for building SVG text safely: every piece of data that reaches the markup goes
// through `esc`, and numbers are written with a fixed precision so the output is stable.

export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** A coordinate with at most two decimals ("12.5", "3"). */
export function num(v: number): string {
  return String(Math.round(v * 100) / 100)
}

export { pct } from '../view-helpers.ts'

/** One rate with its interval, as fractions 0–1; null when there is no estimate (never drawn as 0). */
export interface RateDatum {
  label: string
  value: number | null
  lower: number | null
  upper: number | null
}

/** What every chart takes: an accessible title and description, the data, and reference lines. */
export interface ChartOptions<D extends RateDatum> {
  id: string
  title: string
  description: string
  data: readonly D[]
  /** Reference lines, e.g. the round's green and amber thresholds, as fractions. */
  guides?: readonly { value: number; label: string }[]
  width?: number
  /** 'narrow' lays the chart out for a phone: fewer, larger pieces of text in a 320-wide box. */
  layout?: 'wide' | 'narrow'
}

/** Font sizes in user units; the page never scales a chart up, and scales the wide one down only
 *  where its box is at least 640 px wide (see .app-chart in app.css), so text stays 12 px or more. */
export const FONT = { wide: 13, narrow: 14 }
export const NARROW_WIDTH = 320

/** A generous estimate of a text's width in user units, for keeping labels inside the box. */
export function textWidth(text: string, size: number): number {
  return text.length * size * 0.62
}

/** x for a label centred on `x` but moved so that none of it falls outside 0..width. */
export function keepInside(x: number, text: string, size: number, width: number): number {
  const half = textWidth(text, size) / 2
  return Math.min(width - half - 2, Math.max(half + 2, x))
}

/**
 * Both layouts of a chart; CSS shows the one that fits the box it sits in. Each keeps its own ids,
 * and the hidden one is display: none, so assistive technology meets one image.
 */
export function responsiveChart<O extends { id: string; layout?: 'wide' | 'narrow' }>(
  render: (o: O) => string,
  o: O,
): string {
  return (
    `<div class="app-chart"><div class="app-chart__wide">${render({ ...o, layout: 'wide' })}</div><div ` +
    `class="app-chart__narrow">${render({ ...o, id: `${o.id}-narrow`, layout: 'narrow' })}</div></div>`
  )
}

/**
 * A chart's opening tags: one image for assistive technology, named by its title and described by
 * its description (the figures themselves are in the table beside it).
 */
export function chartOpening(
  o: { id: string; title: string; description: string; layout?: 'wide' | 'narrow' },
  size: { width: number; height: number; font: number },
): string[] {
  const id = safeId(o.id)
  const { width, height, font } = size
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-scores-chart app-scores-chart--${o.layout ?? 'wide'}" ` +
      `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ` +
      `aria-labelledby="${id}-title ${id}-desc" font-family="GDS Transport, arial, sans-serif" font-size="${font}">`,
    `<title id="${id}-title">${esc(o.title)}</title>`,
    `<desc id="${id}-desc">${esc(o.description)}</desc>`,
  ]
}

/** Ids usable in the document: letters, digits, hyphens. */
export function safeId(id: string): string {
  const clean = id.replace(/[^A-Za-z0-9-]/g, '-')
  return /^[A-Za-z]/.test(clean) ? clean : `c-${clean}`
}

/** Shortens a label for an axis; the data table beside the chart carries the full text. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

// GOV.UK palette: blue for data, black for uncertainty marks, dark grey for axes and guides.
export const colours = {
  bar: '#1d70b8',
  band: '#1d70b8',
  whisker: '#0b0c0c',
  axis: '#505a5f',
  grid: '#b1b4b6',
  text: '#0b0c0c',
  green: '#00703c',
  amber: '#b58840',
  red: '#d4351c',
  white: '#ffffff',
}
