// CSV and XLSX exports parsed back and compared with the hand-computed figures of round A
// (see test/server/scores.test.ts), and the printable report's sections.
import t from 'tap'
import { allWith } from '../fixtures/html.ts'
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { mojCsvColumns, scoresCsvColumns } from '../../server/routes/scores/score-csv.ts'
import { buildTestApp, signedIn } from '../fixtures/app.ts'
import { CPS, POLICE, WITNESS_CARE, seedScenario } from '../fixtures/scores.ts'
import { rowsByQa, sectionText } from '../fixtures/html.ts'

type Row = Record<string, string>

// The files carry readable headings; rows are keyed here by each column's stable code, through
// the data dictionary the app publishes beside them.
const codeOf = new Map([...scoresCsvColumns, ...mojCsvColumns].map((c) => [c.heading, c.code]))
function parseCsv(body: string): Row[] {
  return parse(body, {
    columns: (header: string[]) => header.map((h) => codeOf.get(h) ?? h),
    bom: true,
    skip_empty_lines: true,
  }) as Row[]
}

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(body as unknown as ArrayBuffer)
  return wb
}

/** A sheet's rows as objects keyed by the header row. */
function sheetRows(ws: ExcelJS.Worksheet): Record<string, ExcelJS.CellValue>[] {
  const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String)
  const out: Record<string, ExcelJS.CellValue>[] = []
  ws.eachRow((row, n) => {
    if (n === 1) return
    const values = (row.values as ExcelJS.CellValue[]).slice(1)
    out.push(Object.fromEntries(header.map((h, i) => [h, values[i] ?? null])))
  })
  return out
}

t.test('CSV: UTF-8 with BOM, one row per agency × measure, figures as on screen', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const res = await admin.get(`/scores/rounds/${s.roundA}/export.csv`)
  t.equal(res.statusCode, 200)
  t.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/)
  t.match(String(res.headers['content-disposition']), /^attachment; filename="scores-round-\d+\.csv"$/)
  t.same([...res.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 byte order mark')
  const rows = parseCsv(res.body)
  t.same(Object.keys(rows[0] ?? {}), [
    'round',
    'agency',
    'measure_type',
    'measure_id',
    'measure',
    'n',
    'k',
    'rate_pct',
    'lower_pct',
    'upper_pct',
    'lenient_k',
    'lenient_rate_pct',
    'rag',
    'small_sample',
    'weighted_rate_pct',
    'weighted_lower_pct',
    'weighted_upper_pct',
  ])
  const find = (agency: string, id: string) => rows.find((r) => r.agency === agency && r.measure_id === id)
  t.same(find(POLICE, 'overall'), {
    round: 'Spring 2024 audit',
    agency: POLICE,
    measure_type: 'overall',
    measure_id: 'overall',
    measure: 'Overall compliance',
    n: '13',
    k: '9',
    rate_pct: '69.2',
    lower_pct: '42.4',
    upper_pct: '87.3',
    lenient_k: '10',
    lenient_rate_pct: '76.9',
    rag: 'Red',
    small_sample: 'no',
    weighted_rate_pct: '',
    weighted_lower_pct: '',
    weighted_upper_pct: '',
  })
  t.match(
    find(POLICE, 'care_respect'),
    { measure_type: 'theme', n: '0', k: '0', rate_pct: '', lower_pct: '', rag: 'No data' },
    'n = 0 is empty, not 0',
  )
  t.match(find(POLICE, 'communication_information'), {
    n: '6',
    k: '5',
    rate_pct: '83.3',
    rag: 'Amber',
    small_sample: 'yes',
  })
  t.match(find(POLICE, 'R7.1'), {
    measure_type: 'item',
    measure: 'Victim Personal Statement offered',
    n: '3',
    k: '1',
    lenient_k: '2',
  })
  t.match(find(POLICE, 'Right 3: Information when reporting'), {
    measure_type: 'right',
    n: '4',
    k: '4',
    rate_pct: '100.0',
  })
  t.match(find(CPS, 'overall'), { n: '2', k: '2', rate_pct: '100.0', upper_pct: '100.0', rag: 'Green' })
  t.match(find(WITNESS_CARE, 'overall'), {
    n: '2',
    k: '0',
    rate_pct: '0.0',
    lower_pct: '0.0',
    upper_pct: '65.8',
    rag: 'Red',
  })
  t.match(
    find(WITNESS_CARE, 'R8.3'),
    { measure: 'Court bail, warrants and re-arrest' },
    'a title with a comma survives quoting',
  )
  t.match(find('All agencies (partnership)', 'overall'), { n: '17', k: '11', rate_pct: '64.7' })
  // Every agency has the overall row, four themes and its items.
  for (const agency of [POLICE, CPS, WITNESS_CARE]) {
    t.equal(rows.filter((r) => r.agency === agency && r.measure_type === 'theme').length, 4, `${agency}: four themes`)
  }
})

t.test('CSV of a stratified round carries the weighted estimate', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const rows = parseCsv((await admin.get(`/scores/rounds/${s.roundB}/export.csv`)).body)
  t.match(
    rows.find((r) => r.agency === POLICE && r.measure_id === 'overall'),
    {
      n: '30',
      k: '20',
      rate_pct: '66.7',
      weighted_rate_pct: '60.0',
      weighted_lower_pct: '39.1',
      weighted_upper_pct: '77.8',
    },
  )
})

t.test('XLSX: a sheet per view with real numbers, percentage formats, frozen headers and widths', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const res = await admin.get(`/scores/rounds/${s.roundA}/export.xlsx`)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  t.match(String(res.headers['content-disposition']), /filename="scores-round-\d+\.xlsx"/)
  const wb = await workbook(res.rawPayload)
  t.same(
    wb.worksheets.map((w) => w.name),
    ['Overall', 'Themes', 'Rights', 'Items', 'MoJ measures', 'Method'],
  )
  for (const ws of wb.worksheets) {
    t.match(ws.views[0], { state: 'frozen', ySplit: 1 }, `${ws.name}: header row frozen`)
    t.ok((ws.getColumn(1).width ?? 0) > 10, `${ws.name}: column widths set`)
  }
  const overall = wb.getWorksheet('Overall')
  if (!overall) throw new Error('no Overall sheet')
  const rows = sheetRows(overall)
  const police = rows.find((r) => r.Agency === POLICE)
  t.equal(police?.n, 13)
  t.equal(police?.Met, 9)
  t.equal(police?.['Strict rate'], 9 / 13, 'the rate is a real number, not text')
  t.ok(Math.abs(Number(police?.['Lower 95%']) - 0.42369) < 1e-4)
  t.equal(police?.['Lenient rate'], 10 / 13)
  t.equal(police?.['RAG (strict)'], 'Red')
  t.equal(police?.['On time'], 0.5)
  t.equal(police?.['Median days late'], 4)
  t.ok(Math.abs(Number(police?.['90th percentile days late']) - 4.8) < 1e-9)
  const rateCol = (overall.getRow(1).values as ExcelJS.CellValue[]).indexOf('Strict rate')
  const policeRowNo = rows.indexOf(police as Record<string, ExcelJS.CellValue>) + 2
  t.equal(overall.getRow(policeRowNo).getCell(rateCol).numFmt, '0.0%', 'percentage number format')
  t.equal(rows.find((r) => r.Agency === 'All agencies (partnership)')?.n, 17)

  // The same figures as the CSV.
  const csv = parseCsv((await admin.get(`/scores/rounds/${s.roundA}/export.csv`)).body)
  const themes = sheetRows(wb.getWorksheet('Themes') as ExcelJS.Worksheet)
  for (const th of themes) {
    const c = csv.find((r) => r.agency === th.Agency && r.measure_type === 'theme' && r.measure === th.Theme)
    t.equal(String(th.n), c?.n, `${String(th.Agency)} ${String(th.Theme)}: n`)
    t.equal(
      th['Strict rate'] === null ? '' : (Number(th['Strict rate']) * 100).toFixed(1),
      c?.rate_pct,
      `${String(th.Agency)} ${String(th.Theme)}: rate`,
    )
  }
  const items = sheetRows(wb.getWorksheet('Items') as ExcelJS.Worksheet)
  t.match(
    items.find((r) => r.Agency === POLICE && r.Item === 'R3.1'),
    { n: 4, Met: 4, 'Strict rate': 1 },
  )
  const moj = sheetRows(wb.getWorksheet('MoJ measures') as ExcelJS.Worksheet)
  t.match(
    moj.find((r) => r.Agency === POLICE && r.Measure === 'Referral to victim support services'),
    { Yes: 3, Total: 4, Rate: 0.75 },
  )
  const method: string[] = []
  wb.getWorksheet('Method')?.eachRow((row) => method.push(String(row.getCell(1).value)))
  t.match(method.join('\n'), /moderator's answer counts instead/)
  t.match(method.join('\n'), /Wilson/)
})

t.test('MoJ CSV in the shape of a return', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const res = await admin.get(`/scores/rounds/${s.roundA}/moj.csv`)
  t.equal(res.statusCode, 200)
  t.match(String(res.headers['content-disposition']), /moj-measures\.csv/)
  const rows = parseCsv(res.body)
  t.same(Object.keys(rows[0] ?? {}), [
    'round',
    'period_from',
    'period_to',
    'agency',
    'measure_id',
    'measure',
    'yes',
    'total',
    'rate_pct',
  ])
  t.same(
    rows.find((r) => r.agency === POLICE && r.measure_id === 'written_acknowledgement'),
    {
      round: 'Spring 2024 audit',
      period_from: '2024-01-01',
      period_to: '2024-03-31',
      agency: POLICE,
      measure_id: 'written_acknowledgement',
      measure: 'Written acknowledgement of the crime report',
      yes: '4',
      total: '4',
      rate_pct: '100.0',
    },
  )
  t.match(
    rows.find((r) => r.agency === POLICE && r.measure_id === 'release_information'),
    { yes: '0', total: '0', rate_pct: '' },
  )
  t.equal(rows.filter((r) => r.agency === POLICE).length, 5, 'five measures per agency')
})

t.test('printable report: cover, summary, a page per agency, method with overrides', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const res = await admin.get(`/scores/rounds/${s.roundA}/report`)
  t.equal(res.statusCode, 200)
  t.match(
    sectionText(res.body, 'report-cover'),
    /Spring 2024 audit Compliance with the 2020 Code .* 1 January 2024 to 31 March 2024/,
  )
  t.match(sectionText(res.body, 'report-summary'), /Cumbria Constabulary 69\.2% \(n = 13\)/)
  t.equal((res.body.match(/data-qa="report-agency"/g) ?? []).length, 3, 'one section per agency')
  t.ok(
    allWith(res.body, 'data-qa', 'report-agency').every((s) => /\bapp-scores-page\b/.test(s.attrs.class ?? '')),
    'agency sections start a new printed page',
  )
  const method = sectionText(res.body, 'report-method')
  t.match(method, /Wilson score interval/)
  t.match(method, /moderator's answer counts instead of the first auditor's/)
  t.match(method, /Cases replaced \(1\) or found unusable \(1\) are left out/)
  t.match(method, /whether or not the auditor has finished the whole case/)
  t.match(
    method,
    /R4\.2 Referral to support services 3 working days 3 working days agreed locally with the support hub/,
    "the round's time-limit overrides with their reasons",
  )
  t.match(res.body, /<link rel="stylesheet" href="\/assets\/built\/print\.[\w-]+\.css" media="print">/)
  t.equal(rowsByQa(res.body, 'moj-row').length, 15, 'MoJ measures in each agency section')
})

t.test('CSV headings a reader can follow; the codes and meanings in the data dictionary CSV', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = seedScenario(db)
  const admin = await signedIn(app, 'admin@qaf.example')
  const page = await admin.get(`/scores/rounds/${s.roundA}`)
  const csvHref = /href="([^"]+export\.csv)"/.exec(page.body)?.[1] ?? ''
  const dictHref = /href="([^"]+data-dictionary\.csv)"/.exec(page.body)?.[1] ?? ''
  const first = (await admin.get(csvHref)).body.replace(/^\ufeff/, '').split('\r\n')[0]
  t.match(
    first,
    /^Round,Agency,Measure type,Measure code,Measure,Applicable obligations \(n\),Met \(k\),Strict rate %,/,
  )
  t.notMatch(first, /rate_pct|lower_pct/, 'no code in the heading')
  const dict = await admin.get(dictHref)
  t.equal(dict.statusCode, 200)
  const rows = parse(dict.body, { columns: true, bom: true }) as Row[]
  t.match(
    rows.find((r) => r['Column heading'] === 'Strict rate %' && r.File === 'Scores CSV'),
    { Code: 'rate_pct' },
  )
  t.match(
    rows.find((r) => r['Column heading'] === 'Yes (met)'),
    { Code: 'yes', File: 'Ministry of Justice measures CSV' },
  )
  const moj = await admin.get(`/scores/rounds/${s.roundA}/moj`)
  t.match(moj.body, /href="\/scores\/data-dictionary\.csv"/, 'linked beside the MoJ download too')
})
