// The template CSV and the column guide, both made from the one list of columns the import
// checks against, so they cannot drift apart.
import { populationColumns, type ColumnDef } from '../../population/columns.ts'

const exampleRows: Record<string, string>[] = [
  {
    case_ref: 'CA-23-000101',
    reported_on: '2023-05-13',
    offence_group: 'violence',
    district: 'carlisle',
    under_18: 'no',
    vulnerable: 'yes',
    intimidated: 'no',
    persistently_targeted: 'no',
    bereaved: 'no',
    domestic_abuse: 'yes',
    hate_crime: 'no',
    outcome: 'Convicted, guilty plea',
    crime_recorded: '2023-05-13',
    needs_assessment: '2023-05-15',
    suspect_arrested: '2023-05-14',
    suspect_interviewed: '2023-05-14',
    charged: '2023-05-15',
    hearing_set: '2023-05-18',
    hearing_held: '2023-06-02',
    guilty_plea: '2023-06-02',
    sentence: '2023-06-30',
  },
  {
    case_ref: 'BA-23-000102',
    reported_on: '2023-06-20',
    offence_group: 'theft',
    district: 'barrow',
    under_18: '',
    vulnerable: 'no',
    intimidated: 'no',
    persistently_targeted: 'no',
    bereaved: 'no',
    domestic_abuse: 'no',
    hate_crime: 'no',
    outcome: 'Investigation complete, no suspect identified',
    crime_recorded: '2023-06-20',
    statement_taken: '2023-06-22',
  },
]

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** Every column, required ones first, with two example cases (CRLF, as spreadsheets write). */
export function templateCsv(): string {
  const names = populationColumns.map((c) => c.name)
  const lines = [names.join(','), ...exampleRows.map((row) => names.map((n) => cell(row[n] ?? '')).join(','))]
  return `${lines.join('\r\n')}\r\n`
}

export interface GuideSection {
  heading: string
  id: string
  columns: readonly ColumnDef[]
}

export function columnGuide(): GuideSection[] {
  return [
    { heading: 'Required columns', id: 'required', columns: populationColumns.filter((c) => c.required) },
    { heading: 'Victim flags', id: 'flags', columns: populationColumns.filter((c) => c.kind === 'flag') },
    {
      heading: 'Outcome and agency',
      id: 'other',
      columns: populationColumns.filter((c) => c.kind === 'outcome' || c.kind === 'agencyRef'),
    },
    { heading: 'Events', id: 'events', columns: populationColumns.filter((c) => c.kind === 'event') },
  ]
}
