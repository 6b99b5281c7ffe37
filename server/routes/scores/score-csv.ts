// A round's scores as CSV (one row per agency × measure), the MoJ return and the data dictionary.
// Built, like the workbook (score-workbook.ts), from the same RoundModel the pages show, so they
// hold the same figures and the same agencies (only the user's own for agency users).
import { csvLines } from '../../csv.ts'
import type { Figure, WeightedFigure } from '../../services/scores/figures.ts'
import { ragLabels } from '../../services/scores/figures.ts'
import type { RoundModel, ScoreBlock } from '../../services/scores/round-model.ts'

/** One decimal percentage as a number (87.5), empty where there is no estimate. */
function pctCell(fraction: number | null | undefined): string {
  return fraction == null ? '' : (Math.round(fraction * 1000) / 10).toFixed(1)
}

/**
 * A CSV column: the heading a reader sees in the file, the stable code a script can key on, and
 * what it means. The headings are for people; the codes live in the data dictionary CSV
 * (/scores/data-dictionary.csv), one row per column, so the files keep a single header row that
 * any spreadsheet or CSV reader takes as it is.
 */
export interface CsvColumn {
  code: string
  heading: string
  meaning: string
}

export const scoresCsvColumns: readonly CsvColumn[] = [
  { code: 'round', heading: 'Round', meaning: 'The audit round.' },
  {
    code: 'agency',
    heading: 'Agency',
    meaning: 'The agency, or "All agencies (partnership)" for the partnership-wide figure.',
  },
  {
    code: 'measure_type',
    heading: 'Measure type',
    meaning:
      'overall, theme, right (2020 Code), topic (2015 Code) or stage (a commissioned-services dip sample), or item.',
  },
  {
    code: 'measure_id',
    heading: 'Measure code',
    meaning: 'The code of the theme, Right, topic, stage or item (for example R6.1).',
  },
  { code: 'measure', heading: 'Measure', meaning: 'The name of the measure.' },
  {
    code: 'n',
    heading: 'Applicable obligations (n)',
    meaning:
      'Obligations answered met, partially met, not met or not evidenced: the denominator. Not applicable is left out.',
  },
  { code: 'k', heading: 'Met (k)', meaning: 'Obligations met.' },
  {
    code: 'rate_pct',
    heading: 'Strict rate %',
    meaning: 'Met as a percentage of applicable obligations; empty when n is 0.',
  },
  {
    code: 'lower_pct',
    heading: 'Strict rate, 95% interval from %',
    meaning: 'Lower end of the 95% Wilson score interval of the strict rate.',
  },
  {
    code: 'upper_pct',
    heading: 'Strict rate, 95% interval to %',
    meaning: 'Upper end of the 95% Wilson score interval of the strict rate.',
  },
  { code: 'lenient_k', heading: 'Met or partially met', meaning: 'Obligations met or partially met.' },
  {
    code: 'lenient_rate_pct',
    heading: 'Lenient rate %',
    meaning: 'Met or partially met as a percentage of applicable obligations.',
  },
  {
    code: 'rag',
    heading: 'Red, amber or green',
    meaning: "The band of the strict rate against the round's thresholds; No data when n is 0.",
  },
  {
    code: 'small_sample',
    heading: 'Small sample',
    meaning: 'yes when the figure rests on fewer than 10 applicable obligations: read it as an indication only.',
  },
  {
    code: 'weighted_rate_pct',
    heading: 'Weighted strict rate %',
    meaning: 'Overall rows of a stratified round: the strict rate weighted for the sample design.',
  },
  {
    code: 'weighted_lower_pct',
    heading: 'Weighted rate, 95% interval from %',
    meaning: 'Lower end of its 95% Wilson interval on the effective sample size.',
  },
  {
    code: 'weighted_upper_pct',
    heading: 'Weighted rate, 95% interval to %',
    meaning: 'Upper end of its 95% Wilson interval on the effective sample size.',
  },
]

export const scoresCsvHeader = scoresCsvColumns.map((c) => c.heading)

export function blocksOf(model: RoundModel): ScoreBlock[] {
  return model.partnership ? [...model.blocks, model.partnership] : model.blocks
}

function figureCells(f: Figure, w: WeightedFigure | null = null): (string | number)[] {
  return [
    f.n,
    f.k,
    pctCell(f.rate),
    pctCell(f.lower),
    pctCell(f.upper),
    f.kLenient,
    pctCell(f.lenientRate),
    ragLabels[f.rag],
    f.smallSample ? 'yes' : 'no',
    pctCell(w?.estimate),
    pctCell(w?.lower),
    pctCell(w?.upper),
  ]
}

export function scoresCsv(model: RoundModel): string {
  const rows: (string | number)[][] = [[...scoresCsvHeader]]
  // A round's cases can hold duties of both editions, so each group says whether it is a 2020
  // Right or a 2015 topic by its own items; a dip sample's groups are the stages of a service's case.
  const groupType = (g: RoundModel['blocks'][number]['groups'][number]) =>
    g.items[0]?.item.framework === 'commissioned_services'
      ? 'stage'
      : (g.items[0]?.item.edition ?? model.round.edition) === '2020'
        ? 'right'
        : 'topic'
  for (const b of blocksOf(model)) {
    const lead = [model.round.name, b.label]
    rows.push([...lead, 'overall', 'overall', 'Overall compliance', ...figureCells(b.overall, b.weighted)])
    for (const t of b.themes) rows.push([...lead, 'theme', t.id, t.name, ...figureCells(t.figure)])
    for (const g of b.groups) rows.push([...lead, groupType(g), g.id, g.name, ...figureCells(g.figure)])
    for (const i of b.items) rows.push([...lead, 'item', i.id, i.name, ...figureCells(i.figure)])
  }
  return csvLines(rows)
}

export const mojCsvColumns: readonly CsvColumn[] = [
  { code: 'round', heading: 'Round', meaning: 'The audit round.' },
  {
    code: 'period_from',
    heading: 'Cases reported from',
    meaning: "First day of the round's period (ISO date): the measures cover the whole period.",
  },
  { code: 'period_to', heading: 'Cases reported to', meaning: "Last day of the round's period (ISO date)." },
  { code: 'agency', heading: 'Agency', meaning: 'The agency, or "All agencies (partnership)".' },
  { code: 'measure_id', heading: 'Measure code', meaning: 'The code of the Ministry of Justice measure.' },
  { code: 'measure', heading: 'Measure', meaning: 'The name of the measure.' },
  { code: 'yes', heading: 'Yes (met)', meaning: 'Applicable obligations met (strict).' },
  {
    code: 'total',
    heading: 'Applicable obligations',
    meaning: 'All applicable obligations for the items that make up the measure.',
  },
  {
    code: 'rate_pct',
    heading: 'Yes %',
    meaning: 'Yes as a percentage of applicable obligations; empty when there are none.',
  },
]

export const mojCsvHeader = mojCsvColumns.map((c) => c.heading)

/** Every CSV column the app writes, by file: heading, code and meaning. */
export function dataDictionaryCsv(): string {
  const rows: string[][] = [['File', 'Column heading', 'Code', 'Meaning']]
  for (const c of scoresCsvColumns) rows.push(['Scores CSV', c.heading, c.code, c.meaning])
  for (const c of mojCsvColumns) rows.push(['Ministry of Justice measures CSV', c.heading, c.code, c.meaning])
  return csvLines(rows)
}

export function mojCsv(model: RoundModel): string {
  const rows: (string | number)[][] = [[...mojCsvHeader]]
  for (const b of blocksOf(model)) {
    for (const m of b.moj) {
      rows.push([
        model.round.name,
        model.round.periodFrom,
        model.round.periodTo,
        b.label,
        m.id,
        m.name,
        m.figure.k,
        m.figure.n,
        pctCell(m.figure.rate),
      ])
    }
  }
  return csvLines(rows)
}
