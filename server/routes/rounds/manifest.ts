// The sample manifest: the frozen record of a draw as CSV, enough for a statistician to re-run it.
// Lines starting with "#" carry the seed, the design and the population hash (read them with
// comment='#' in pandas or comment.char='#' in R); then one row per drawn case in draw order.
import { eq } from 'drizzle-orm'
import { users } from '../../../schema/index.ts'
import type { Queryable } from '../../../schema/database.ts'
import { stratumSeed } from '../../../audits/seeded-random.ts'
import { formatMargin } from '../../../audits/sample-plan.ts'
import { drawStrata, type SampleDraw } from '../../services/rounds/draw.ts'
import type { Round } from '../../services/rounds/queries.ts'
import { sampleRows } from '../../services/rounds/sample-queries.ts'

export const manifestColumns = [
  'stratum',
  'stratum_seed',
  'position',
  'case_ref',
  'status',
  'replaces_case_ref',
  'replacement_reason',
] as const

/** A CSV field: quoted when needed, and text a spreadsheet would run as a formula made inert. */
export function csvField(value: string | number | null | undefined, freeText = false): string {
  let s = value == null ? '' : String(value)
  if (freeText && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n#]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s
}

function comment(text: string): string {
  // A line break inside a preamble value would end the comment early.
  return `# ${text.replace(/[\r\n]+/g, ' ')}`
}

export function manifestCsv(db: Queryable, round: Round, draw: SampleDraw): string {
  const drawnBy =
    draw.drawnBy === null
      ? null
      : db.select({ email: users.email }).from(users).where(eq(users.id, draw.drawnBy)).get()?.email
  const strata = drawStrata(draw)
  const lines = [
    comment(`QAF sample manifest for round ${round.id}: ${round.name}`),
    comment(`round_id: ${round.id}`),
    comment(`drawn_at: ${draw.drawnAt}`),
    comment(`drawn_by: ${drawnBy ?? 'unknown'}`),
    comment(`seed: ${draw.seed}`),
    comment(`stratify_by: ${draw.stratifyBy}`),
    comment(`allocation: ${draw.allocation}`),
    comment(`margin_of_error: ${formatMargin(draw.marginOfError)} percentage points`),
    comment(`confidence: ${draw.confidence}%`),
    comment(`minimum_per_stratum: ${draw.minimumPerStratum}`),
    comment(`population_cases: ${strata.reduce((sum, s) => sum + s.population, 0)}`),
    comment(`population_sha256: ${draw.populationSha256}`),
    comment(
      'population_sha256 is over UTF-8 lines "<case_ref><TAB><stratum><LF>", one per population case, in ' +
        'case_ref order',
    ),
    ...strata.map((s) => comment(`stratum: ${s.key} population=${s.population} take=${s.take}`)),
    comment('Draw order: in each stratum, sort its case_refs by UTF-16 code units and shuffle them with'),
    comment('seededOrder(case_refs, stratum_seed) from audits/sampling.ts (cyrb128 seeding xoshiro128**,'),
    comment('forward Fisher-Yates). position is the 0-based place in that order; the sample is the first'),
    comment('"take" places, and replacements and extensions take the next places in turn.'),
    manifestColumns.join(','),
  ]
  for (const r of sampleRows(db, round.id)) {
    lines.push(
      [
        csvField(r.stratum),
        csvField(stratumSeed(draw.seed, r.stratum)),
        csvField(r.drawPosition),
        csvField(r.caseRef),
        csvField(r.status),
        csvField(r.replacesRef),
        csvField(r.replacementReason, true),
      ].join(','),
    )
  }
  return `${lines.join('\r\n')}\r\n`
}
