// Spreadsheet downloads (XLSX): one workbook shape for every export, each sheet with a bold,
// frozen, filterable header row.
import type ExcelJS from 'exceljs'

export interface SheetColumn {
  header: string
  key: string
  width: number
  /** Shown as a percentage (the cell holds a fraction). */
  percent?: boolean
}

export type SheetRow = Record<string, string | number | null>

export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  // Loaded on first use: exceljs is the largest module the server has (about 28 MB and over a
  // second of start-up), and only the exports need it.
  const { default: Excel } = await import('exceljs')
  const wb = new Excel.Workbook()
  wb.creator = "Victims' Code compliance audit"
  wb.created = new Date()
  return wb
}

export function addSheet(wb: ExcelJS.Workbook, name: string, columns: readonly SheetColumn[], rows: SheetRow[]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    style: c.percent ? { numFmt: '0.0%' } : {},
  }))
  ws.getRow(1).font = { bold: true }
  for (const r of rows) ws.addRow(r)
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } }
}

export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer())
}
