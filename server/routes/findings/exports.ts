// Findings and their actions as CSV (one row per action; a finding without actions has one row
// of its own) and as an XLSX workbook with a sheet for each. Built from the same queries as the
// pages, so an agency user's file holds only their own agency's findings.
import { addSheet, newWorkbook, workbookBuffer, type SheetColumn, type SheetRow } from '../../workbook.ts'
import { csvLines } from '../../csv.ts'
import { actionStatusLabels, findingStatusLabels, severityLabels, timingText } from './labels.ts'
import type { ActionRow } from '../../services/findings/action-queries.ts'
import type { FindingDetail } from '../../services/findings/finding-queries.ts'
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

/** A column of both files: its CSV name (also the sheet's key), its sheet heading and width, its cell. */
interface ExportColumn<T> extends SheetColumn {
  key: string
  cell: (x: T) => string | number
}

const findingId: ExportColumn<FindingDetail> = { key: 'finding_id', header: 'Finding', width: 9, cell: (f) => f.id }
const actionId: ExportColumn<ActionRow> = { key: 'action_id', header: 'Action', width: 9, cell: (a) => a.id }

const findingColumns: readonly ExportColumn<FindingDetail>[] = [
  findingId,
  { key: 'round', header: 'Round', width: 24, cell: (f) => f.roundName },
  { key: 'agency', header: 'Agency', width: 40, cell: (f) => f.agencyName },
  { key: 'title', header: 'Title', width: 40, cell: (f) => f.title },
  { key: 'items', header: 'Items', width: 14, cell: (f) => f.itemIds.join(' ') },
  { key: 'severity', header: 'Severity', width: 10, cell: (f) => severityLabels[f.severity] },
  { key: 'finding_status', header: 'Status', width: 20, cell: (f) => findingStatusLabels[f.status] },
  { key: 'raised_on', header: 'Raised on', width: 12, cell: (f) => f.createdAt.slice(0, 10) },
  { key: 'evidence', header: 'Evidence', width: 60, cell: (f) => evidenceText(f.evidence) },
  { key: 'case_refs', header: 'Case references', width: 40, cell: (f) => f.caseRefs.join(' ') },
  { key: 'recommendation', header: 'Recommendation', width: 60, cell: (f) => f.recommendation },
  { key: 'response', header: 'Response', width: 60, cell: (f) => f.response ?? '' },
]

const actionColumns: readonly ExportColumn<ActionRow>[] = [
  actionId,
  { key: 'action_owner', header: 'Owner', width: 40, cell: (a) => a.ownerName },
  { key: 'action', header: 'Description', width: 60, cell: (a) => a.description },
  { key: 'due_date', header: 'Due date', width: 12, cell: (a) => a.dueDate },
  { key: 'action_status', header: 'Status', width: 14, cell: (a) => actionStatusLabels[a.status] },
  { key: 'timing', header: 'Timing', width: 28, cell: (a) => timingText(a.timing) },
]

const csvHeader = [...findingColumns, ...actionColumns].map((c) => c.key)

function cells<T>(columns: readonly ExportColumn<T>[], x: T): (string | number)[] {
  return columns.map((c) => c.cell(x))
}

function sheetRow<T>(columns: readonly ExportColumn<T>[], x: T): SheetRow {
  return Object.fromEntries(columns.map((c) => [c.key, c.cell(x)]))
}

export function findingsCsv(rows: readonly ExportRow[]): string {
  const out: (string | number)[][] = [csvHeader]
  for (const { finding, actions } of rows) {
    const lead = cells(findingColumns, finding)
    if (actions.length === 0) out.push([...lead, ...actionColumns.map(() => '')])
    for (const a of actions) out.push([...lead, ...cells(actionColumns, a)])
  }
  return csvLines(out)
}

export async function findingsXlsx(rows: readonly ExportRow[]): Promise<Buffer> {
  const wb = await newWorkbook()
  addSheet(
    wb,
    'Findings',
    findingColumns,
    rows.map(({ finding }) => sheetRow(findingColumns, finding)),
  )
  // Each action beside the number of its finding.
  addSheet(
    wb,
    'Actions',
    [actionId, findingId, ...actionColumns.slice(1)],
    rows.flatMap(({ finding, actions }) =>
      actions.map((a) => ({ ...sheetRow(actionColumns, a), [findingId.key]: findingId.cell(finding) })),
    ),
  )
  return workbookBuffer(wb)
}
