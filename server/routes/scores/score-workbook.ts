// A round's scores as an XLSX workbook with a sheet per view, from the same RoundModel as the
// pages and the CSV.
import { mojMeasures } from '../../../audits/frameworks/index.ts'
import { addSheet, newWorkbook, workbookBuffer, type SheetColumn } from '../../workbook.ts'
import type { Figure } from '../../services/scores/figures.ts'
import { ragLabels } from '../../services/scores/figures.ts'
import type { MethodSection } from './method.ts'
import type { RoundModel } from '../../services/scores/round-model.ts'
import { blocksOf } from './score-csv.ts'

const rateColumns: SheetColumn[] = [
  { header: 'n', key: 'n', width: 8 },
  { header: 'Met', key: 'k', width: 8 },
  { header: 'Strict rate', key: 'rate', width: 12, percent: true },
  { header: 'Lower 95%', key: 'lower', width: 12, percent: true },
  { header: 'Upper 95%', key: 'upper', width: 12, percent: true },
  { header: 'Met or partly met', key: 'kLenient', width: 16 },
  { header: 'Lenient rate', key: 'lenientRate', width: 13, percent: true },
  { header: 'RAG (strict)', key: 'rag', width: 12 },
  { header: 'Small sample', key: 'small', width: 13 },
]

function rateCells(f: Figure): Record<string, string | number | null> {
  return {
    n: f.n,
    k: f.k,
    rate: f.rate,
    lower: f.lower,
    upper: f.upper,
    kLenient: f.kLenient,
    lenientRate: f.lenientRate,
    rag: ragLabels[f.rag],
    small: f.smallSample ? 'Yes' : 'No',
  }
}

export async function scoresXlsx(model: RoundModel, method: readonly MethodSection[]): Promise<Buffer> {
  const wb = await newWorkbook()
  const blocks = blocksOf(model)

  addSheet(
    wb,
    'Overall',
    [
      { header: 'Agency', key: 'agency', width: 44 },
      ...rateColumns,
      { header: 'Weighted rate', key: 'wRate', width: 14, percent: true },
      { header: 'Weighted lower 95%', key: 'wLower', width: 19, percent: true },
      { header: 'Weighted upper 95%', key: 'wUpper', width: 19, percent: true },
      { header: 'Time-limited n', key: 'tN', width: 14 },
      { header: 'On time', key: 'tRate', width: 10, percent: true },
      { header: 'Median days late', key: 'tMedian', width: 16 },
      { header: '90th percentile days late', key: 'tP90', width: 24 },
    ],
    blocks.map((b) => ({
      agency: b.label,
      ...rateCells(b.overall),
      wRate: b.weighted?.estimate ?? null,
      wLower: b.weighted?.lower ?? null,
      wUpper: b.weighted?.upper ?? null,
      tN: b.overall.timeliness.n,
      tRate: b.overall.timeliness.onTime.rate,
      tMedian: b.overall.timeliness.medianDaysLate,
      tP90: b.overall.timeliness.p90DaysLate,
    })),
  )
  addSheet(
    wb,
    'Themes',
    [{ header: 'Agency', key: 'agency', width: 44 }, { header: 'Theme', key: 'theme', width: 32 }, ...rateColumns],
    blocks.flatMap((b) => b.themes.map((t) => ({ agency: b.label, theme: t.name, ...rateCells(t.figure) }))),
  )
  addSheet(
    wb,
    model.round.framework === 'commissioned_services' ? 'Stages' : model.round.edition === '2020' ? 'Rights' : 'Topics',
    [
      { header: 'Agency', key: 'agency', width: 44 },
      {
        header:
          model.round.framework === 'commissioned_services'
            ? 'Stage'
            : model.round.edition === '2020'
              ? 'Right'
              : 'Topic',
        key: 'group',
        width: 50,
      },
      ...rateColumns,
    ],
    blocks.flatMap((b) => b.groups.map((g) => ({ agency: b.label, group: g.name, ...rateCells(g.figure) }))),
  )
  addSheet(
    wb,
    'Items',
    [
      { header: 'Agency', key: 'agency', width: 44 },
      { header: 'Item', key: 'item', width: 9 },
      { header: 'Title', key: 'title', width: 40 },
      ...rateColumns,
    ],
    blocks.flatMap((b) => b.items.map((i) => ({ agency: b.label, item: i.id, title: i.name, ...rateCells(i.figure) }))),
  )
  addSheet(
    wb,
    'MoJ measures',
    [
      { header: 'Agency', key: 'agency', width: 44 },
      { header: 'Measure', key: 'measure', width: 46 },
      { header: 'Yes', key: 'yes', width: 8 },
      { header: 'Total', key: 'total', width: 8 },
      { header: 'Rate', key: 'rate', width: 10, percent: true },
    ],
    blocks.flatMap((b) =>
      mojMeasures.map((m) => {
        const f = b.moj.find((x) => x.id === m.id)?.figure
        return { agency: b.label, measure: m.name, yes: f?.k ?? 0, total: f?.n ?? 0, rate: f?.rate ?? null }
      }),
    ),
  )

  const ws = wb.addWorksheet('Method', { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = [{ header: `Method: ${model.round.name}`, key: 'text', width: 120 }]
  ws.getRow(1).font = { bold: true }
  for (const s of method) {
    ws.addRow({ text: s.heading }).font = { bold: true }
    for (const p of s.paragraphs) ws.addRow({ text: p }).alignment = { wrapText: true, vertical: 'top' }
  }
  return workbookBuffer(wb)
}
