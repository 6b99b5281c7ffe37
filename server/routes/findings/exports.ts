// Findings and their actions as CSV (one row per action; a finding without actions has one row
// of its own) and as an XLSX workbook with a sheet for each. Built from the same queries as the
// pages, so an agency user's file holds only their own agency's findings.
import { addSheet, newWorkbook, workbookBuffer } from '../../workbook.ts'
import { csvLines } from '../../csv.ts'
import { actionStatusLabels, findingStatusLabels, severityLabels, timingText } from './labels.ts'
import type { ActionRow, FindingDetail } from '../../services/findings/queries.ts'
import type { EvidenceFigure } from '../../services/findings/evidence.ts'

export interface ExportRow {
  finding: FindingDetail
  actions: ActionRow[]
}

function pctText(x: number | null): string {
  return x === null ? '' : `${(Math.round(x * 1000) / 10).toFixed(1)}%`
}

/** "R3.1 40.0% (k/n 4/10, 95% interval 16.8%–68.7%)", the way the evidence reads on screen. */
export function evidenceText(e: readonly EvidenceFigure[]): string {
  return e
    .map(
      (x) =>
        `${x.itemId} ${
          x.n === 0
            ? 'no applicable answers'
            : `${pctText(x.rate)} (${x.k} of ${x.n}, 95% interval ${pctText(x.lower)} to ${pctText(x.upper)})`
        }`,
    )
    .join('; ')
}

export const findingsCsvHeader = [
  'finding_id',
  'round',
  'agency',
  'title',
  'items',
  'severity',
  'finding_status',
  'raised_on',
  'evidence',
  'case_refs',
  'recommendation',
  'response',
  'action_id',
  'action_owner',
  'action',
  'due_date',
  'action_status',
  'timing',
] as const

function findingCells(f: FindingDetail): (string | number)[] {
  return [
    f.id,
    f.roundName,
    f.agencyName,
    f.title,
    f.itemIds.join(' '),
    severityLabels[f.severity],
    findingStatusLabels[f.status],
    f.createdAt.slice(0, 10),
    evidenceText(f.evidence),
    f.caseRefs.join(' '),
    f.recommendation,
    f.response ?? '',
  ]
}

export function findingsCsv(rows: readonly ExportRow[]): string {
  const out: (string | number)[][] = [[...findingsCsvHeader]]
  for (const { finding, actions } of rows) {
    if (actions.length === 0) out.push([...findingCells(finding), '', '', '', '', '', ''])
    for (const a of actions)
      out.push([
        ...findingCells(finding),
        a.id,
        a.ownerName,
        a.description,
        a.dueDate,
        actionStatusLabels[a.status],
        timingText(a.timing),
      ])
  }
  return csvLines(out)
}

export async function findingsXlsx(rows: readonly ExportRow[]): Promise<Buffer> {
  const wb = await newWorkbook()
  addSheet(
    wb,
    'Findings',
    [
      { header: 'Finding', key: 'id', width: 9 },
      { header: 'Round', key: 'round', width: 24 },
      { header: 'Agency', key: 'agency', width: 40 },
      { header: 'Title', key: 'title', width: 40 },
      { header: 'Items', key: 'items', width: 14 },
      { header: 'Severity', key: 'severity', width: 10 },
      { header: 'Status', key: 'status', width: 20 },
      { header: 'Raised on', key: 'raised', width: 12 },
      { header: 'Evidence', key: 'evidence', width: 60 },
      { header: 'Case references', key: 'refs', width: 40 },
      { header: 'Recommendation', key: 'recommendation', width: 60 },
      { header: 'Response', key: 'response', width: 60 },
    ],
    rows.map(({ finding: f }) => ({
      id: f.id,
      round: f.roundName,
      agency: f.agencyName,
      title: f.title,
      items: f.itemIds.join(' '),
      severity: severityLabels[f.severity],
      status: findingStatusLabels[f.status],
      raised: f.createdAt.slice(0, 10),
      evidence: evidenceText(f.evidence),
      refs: f.caseRefs.join(' '),
      recommendation: f.recommendation,
      response: f.response ?? '',
    })),
  )
  addSheet(
    wb,
    'Actions',
    [
      { header: 'Action', key: 'id', width: 9 },
      { header: 'Finding', key: 'finding', width: 9 },
      { header: 'Owner', key: 'owner', width: 40 },
      { header: 'Description', key: 'description', width: 60 },
      { header: 'Due date', key: 'due', width: 12 },
      { header: 'Status', key: 'status', width: 14 },
      { header: 'Timing', key: 'timing', width: 28 },
    ],
    rows.flatMap(({ finding: f, actions }) =>
      actions.map((a) => ({
        id: a.id,
        finding: f.id,
        owner: a.ownerName,
        description: a.description,
        due: a.dueDate,
        status: actionStatusLabels[a.status],
        timing: timingText(a.timing),
      })),
    ),
  )
  return workbookBuffer(wb)
}
