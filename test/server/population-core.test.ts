import t from 'tap'
import fc from 'fast-check'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse as parseCsvSync } from 'csv-parse/sync'
import { isIsoDate } from '../../audits/calendar.ts'
import { readCsv } from '../../server/population/csv-reader.ts'
import type { CsvRecord } from '../../server/population/csv-record.ts'
import { mapHeader, populationColumns } from '../../server/population/columns.ts'
import { daySpan, isoOfDay, parseCaseDay, NOT_A_DATE, OUT_OF_RANGE } from '../../server/population/dates.ts'
import { eventSpan, isCaseRef, keySpan, REJECT, trimEnd, trimStart } from '../../server/population/fast-cells.ts'
import { agencyNames, buildColumnSchemas, buildRowSchema } from '../../server/population/row-schema.ts'
import { importPopulation } from '../../server/population/importer.ts'
import { problemsCsv } from '../../server/population/problems.ts'
import { generatePopulationCsv, generatedColumns } from '../../seeds/population-generator.ts'
import { openDatabase } from '../../schema/database.ts'
import { loadDemoData } from '../../seeds/demo.ts'
import { createRound, drawSample, generatedCsv, goodCsv, snapshot } from '../fixtures/population.ts'

async function records(
  input: string | Buffer,
  chunk = 7,
): Promise<{ fields: string[][]; lines: number[]; malformed: [number, string][] }> {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input
  const fields: string[][] = []
  const lines: number[] = []
  const malformed: [number, string][] = []
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk)
  }
  await readCsv(chunks(), {
    record(r: CsvRecord) {
      fields.push(r.fields())
      lines.push(r.line)
    },
    malformed: (line, reason) => malformed.push([line, reason]),
  })
  return { fields, lines, malformed }
}

t.test('the CSV reader: quotes, line ends, byte-order mark, blank lines, and line numbers', async (t) => {
  const r = await records('\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\r\n\r\n2,"two\nlines",\n3,,last')
  t.same(r.fields, [
    ['a', 'b', 'c'],
    ['1', 'x, y', 'say "hi"'],
    ['2', 'two\nlines', ''],
    ['3', '', 'last'],
  ])
  t.same(r.lines, [1, 2, 4, 6], 'a record starts on its own line; blank lines and line breaks inside quotes count')
  t.same(r.malformed, [])
  for (const size of [1, 2, 3, 5, 64, 100_000]) {
    t.same(
      (await records('a,"b\r\nc",d\r\n"e""",f,"g"\n', size)).fields,
      [
        ['a', 'b\r\nc', 'd'],
        ['e"', 'f', 'g'],
      ],
      `chunks of ${size}`,
    )
  }
  t.same(
    (await records('a,b\n1,2,\n')).fields,
    [
      ['a', 'b'],
      ['1', '2', ''],
    ],
    'a trailing comma is an empty last field',
  )
  t.same((await records('a,5" pipe\n')).fields, [['a', '5" pipe']], 'a quote inside an unquoted value is text')
})

t.test('the CSV reader reports bad quoting by line and carries on', async (t) => {
  const r = await records('a,b\n"x"y,2\n3,4\n5,"never closed\n6,7\n')
  t.same(r.fields, [
    ['a', 'b'],
    ['3', '4'],
  ])
  t.same(r.malformed[0], [2, 'A value in quotes must be followed by a comma or the end of the line'])
  t.match(r.malformed[1], [4, /starts on line 4 is never closed/])
})

t.test('the CSV reader refuses what is not UTF-8 text', async (t) => {
  const cases: [string, Buffer, RegExp][] = [
    ['xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(10)]), /spreadsheet workbook/],
    ['xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2]), /spreadsheet workbook/],
    ['utf-16', Buffer.from('\uFEFFa,b\n', 'utf16le'), /UTF-16/],
    ['binary', Buffer.from([1, 2, 0, 3]), /binary data/],
    ['latin-1', Buffer.from('a,b\ncaf\xe9,1\n', 'latin1'), /not UTF-8/],
  ]
  for (const [what, bytes, message] of cases) await t.rejects(records(bytes, 3), message, what)
  await t.rejects(
    readCsv(
      (async function* () {
        yield Buffer.from('a,"')
        for (let i = 0; i < 20; i++) yield Buffer.from('x'.repeat(1000))
      })(),
      { record() {}, malformed() {} },
      { maxRecordChars: 1000 },
    ),
    { name: 'CsvFormatError', message: /Line 1 runs on for more than 1,000 characters/ },
    'a record that never ends stops the read instead of filling the memory',
  )
})

t.test('the CSV reader agrees with csv-parse on any well-formed file, however it is split', async (t) => {
  const cell = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('', ',', '"', '""', '\n', '\r\n', 'a,b', 'é–😀'))
  const file = fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.boolean(), fc.integer({ min: 1, max: 40 }))
    .chain(([width, crlf, chunk]) =>
      fc.record({
        rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 }),
        crlf: fc.constant(crlf),
        chunk: fc.constant(chunk),
      }),
    )
  await fc.assert(
    fc.asyncProperty(file, async ({ rows, crlf, chunk }) => {
      // A lone empty cell is written quoted, so no row looks like a blank line.
      const text = rows
        .map((row) => row.map((c) => (/[",\r\n]/.test(c) || c === '' ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
        .join(crlf ? '\r\n' : '\n')
      const ours = await records(text, chunk)
      const theirs = parseCsvSync(text, { relax_column_count: true }) as string[][]
      t.same(ours.fields, theirs)
      t.same(ours.fields, rows)
    }),
    { numRuns: 300 },
  )
})

t.test('dates: the quick reader agrees with the calendar on every kind of input', async (t) => {
  for (const [s, want] of [
    ['2024-02-29', '2024-02-29'],
    ['2023-02-29', NOT_A_DATE],
    ['2000-01-01', '2000-01-01'],
    ['2099-12-31', '2099-12-31'],
    ['1999-12-31', OUT_OF_RANGE],
    ['2100-01-01', OUT_OF_RANGE],
    ['2023-1-01', NOT_A_DATE],
    ['2023-00-10', NOT_A_DATE],
    ['2023-04-31', NOT_A_DATE],
    ['２０２３-01-01', NOT_A_DATE],
    ['2023/01/01', NOT_A_DATE],
  ] as const) {
    const day = parseCaseDay(s)
    t.equal(typeof want === 'string' ? isoOfDay(day) : day, want, s)
  }
  const dateLike = fc.oneof(
    fc
      .date({ min: new Date('1990-01-01'), max: new Date('2110-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    fc
      .tuple(fc.integer({ min: 1995, max: 2105 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
    fc.string({ minLength: 10, maxLength: 10 }),
  )
  fc.assert(
    fc.property(dateLike, (s) => {
      const day = daySpan(`xx${s}yy`, 2, 12)
      const real = isIsoDate(s)
      if (!real) return day === NOT_A_DATE
      const inRange = s >= '2000-01-01' && s <= '2099-12-31'
      return inRange ? isoOfDay(day) === s && day === Date.parse(s) / 86_400_000 : day === OUT_OF_RANGE
    }),
    { numRuns: 5000 },
  )
})

t.test('the quick cell checks never accept what the zod schemas refuse, and agree on the value', async (t) => {
  const known = agencyNames([{ name: 'Crown Prosecution Service North West', shortName: 'CPS' }])
  type Schema = { safeParse(v: unknown): { success: boolean; data?: unknown } }
  const schemas = buildColumnSchemas(known) as unknown as Record<string, Schema>
  const parse = (schema: Schema | undefined, raw: string, fold = false) => {
    if (!schema) throw new Error('no schema')
    const v = raw.trim()
    return schema.safeParse(v === '' ? undefined : fold ? v.toLowerCase() : v)
  }
  const span = (raw: string) => {
    const s = trimStart(raw, 0, raw.length)
    return [s, trimEnd(raw, s, raw.length)] as const
  }
  const noisy = (words: string[]) =>
    fc.oneof(
      fc.constantFrom(...words),
      fc.constantFrom(...words).map((w) => ` ${w.toUpperCase()}\t`),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('', ' ', '\u00a0x', 'K', '\u212a'),
    )

  fc.assert(
    fc.property(fc.oneof(fc.stringMatching(/^[A-Za-z0-9/_ -]{0,70}$/), fc.string({ maxLength: 70 })), (raw) => {
      const [s, e] = span(raw)
      const z = parse(schemas.case_ref, raw)
      return !isCaseRef(raw, s, e) || (z.success && z.data === raw.slice(s, e))
    }),
    { numRuns: 3000 },
  )
  const keyed: [string, readonly string[]][] = [
    ['offence_group', ['violence', 'sexual', 'robbery', 'theft', 'criminal_damage_arson', 'public_order', 'other']],
    ['district', ['allerdale', 'barrow', 'carlisle', 'copeland', 'eden', 'south_lakeland']],
  ]
  for (const [column, keys] of keyed) {
    fc.assert(
      fc.property(noisy([...keys, 'south_laKeland']), (raw) => {
        const [s, e] = span(raw)
        const i = keySpan(raw, s, e, keys)
        const z = parse(schemas[column], raw, true)
        return i === REJECT || (z.success && z.data === keys[i])
      }),
      { numRuns: 2000 },
    )
  }
  const flagWords = ['no', 'yes', 'n', 'y', 'false', 'true', '0', '1']
  fc.assert(
    fc.property(noisy(flagWords), (raw) => {
      const [s, e] = span(raw)
      const i = keySpan(raw, s, e, flagWords)
      const z = parse(schemas.under_18, raw, true)
      return i === REJECT || (z.success && z.data === (i & 1))
    }),
    { numRuns: 2000 },
  )
  const cell = fc
    .array(
      fc.oneof(
        fc.constantFrom('2023-01-01', '2024-02-29', '2023-02-29', '1999-01-01', ' 2023-05-06 ', ''),
        fc.string({ maxLength: 11 }),
      ),
      { maxLength: 4 },
    )
    .map((parts) => parts.join(';'))
  for (const [column, repeatable] of [
    ['charged', true],
    ['crime_recorded', false],
  ] as const) {
    fc.assert(
      fc.property(cell, (raw) => {
        const [s, e] = span(raw)
        const out: number[] = []
        const ok = eventSpan(raw, s, e, repeatable, 9, out)
        const z = parse(schemas[column], raw)
        const days = out.filter((_, k) => k % 2 === 1)
        return !ok || (z.success && JSON.stringify(z.data ?? []) === JSON.stringify(days))
      }),
      { numRuns: 2000 },
    )
  }
  t.pass('no disagreement found')
})

t.test('the header: any order and case, and a clear message for what is wrong', async (t) => {
  const ok = mapHeader([' District', 'CASE_REF', 'reported on', 'offence-group', 'Hearing_Held'])
  t.ok(ok.ok)
  if (ok.ok)
    t.same(
      ok.columns.map((c) => c.name),
      ['district', 'case_ref', 'reported_on', 'offence_group', 'hearing_held'],
    )
  const bad = mapHeader(['case_ref', '', 'victim_name', 'case_ref', 'Town'])
  t.notOk(bad.ok)
  if (!bad.ok) {
    t.match(bad.messages.join('\n'), /column 2 has no name/)
    t.match(bad.messages.join('\n'), /more than once: "case_ref"/)
    t.match(bad.messages.join('\n'), /does not recognise: "victim_name", "Town"/)
    t.match(bad.messages.join('\n'), /missing the required columns "reported_on", "offence_group", "district"/)
  }
  t.equal(
    populationColumns.filter((c) => c.kind === 'event').length,
    34,
    'one column per case-facts event type (with a commissioned service’s referral and closure)',
  )
})

t.test('one row can also be checked as a whole with the same rules', async (t) => {
  const schema = buildRowSchema(agencyNames([]))
  t.ok(
    schema.safeParse({
      case_ref: 'A1',
      reported_on: '2023-01-01',
      offence_group: 'theft',
      district: 'eden',
      agency_ref: 'police',
    }).success,
  )
  const bad = schema.safeParse({
    case_ref: 'A 1',
    reported_on: '2023-01-01',
    offence_group: 'theft',
    district: 'eden',
    agency_ref: 'Polce',
  })
  t.notOk(bad.success)
  t.same(
    bad.error?.issues.map((i) => i.path[0]),
    ['case_ref', 'agency_ref'],
  )
})

t.test('the problems CSV keeps spreadsheet formulas inert', async (t) => {
  const csv = problemsCsv([{ line: 3, column: 'outcome', value: '=HYPERLINK("x")', reason: 'Too long, by far' }])
  t.equal(csv, '\uFEFFline,column,value,reason\r\n3,outcome,"\'=HYPERLINK(""x"")","Too long, by far"\r\n')
})

t.test('the generator: the same seed gives the same file, rows pass validation, Cumbria-shaped', async (t) => {
  const a = generatedCsv(3000, 42)
  t.equal(generatedCsv(3000, 42), a, 'deterministic')
  t.not(generatedCsv(3000, 43), a, 'another seed, another file')
  t.equal(a.split('\n')[0], generatedColumns.join(','))
  t.equal(a.trimEnd().split('\n').length, 3001)

  let count = 0
  const outOfOrder: string[] = []
  const offences = new Map<string, number>()
  const districts = new Map<string, number>()
  for (const row of parseCsvSync(generatedCsv(20_000, 7), { columns: true }) as Record<string, string>[]) {
    count++
    offences.set(row.offence_group as string, (offences.get(row.offence_group as string) ?? 0) + 1)
    districts.set(row.district as string, (districts.get(row.district as string) ?? 0) + 1)
    // Events run in order along the main path of a case.
    const path = ['reported_on', 'suspect_arrested', 'suspect_interviewed', 'charged', 'verdict', 'sentence']
      .map((c) => (row[c] ?? '').split(';')[0])
      .filter(Boolean)
    if ([...path].sort().join() !== path.join()) outOfOrder.push(row.case_ref as string)
  }
  t.equal(count, 20_000)
  t.same(outOfOrder, [], 'reported, arrested, interviewed, charged, verdict, sentence in date order')
  const share = (m: Map<string, number>, k: string) => (m.get(k) ?? 0) / count
  t.ok(Math.abs(share(offences, 'violence') - 14242 / 35383) < 0.02, 'violence share')
  t.ok(Math.abs(share(districts, 'carlisle') - 0.22) < 0.02, 'Carlisle share')
  t.ok(Math.abs(share(districts, 'eden') - 0.1) < 0.02, 'Eden share')

  const dir = mkdtempSync(join(tmpdir(), 'qaf-gen-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'gen.csv')
  writeFileSync(file, generatedCsv(20_000, 'valid'))
  const db = openDatabase(':memory:')
  await loadDemoData(db)
  const roundId = createRound(db)
  const outcome = await importPopulation(db, { path: file, fileName: 'gen.csv', target: { roundId }, actor: null })
  t.match(outcome, { kind: 'imported', rows: 20_000 }, 'every generated row passes validation')
  const flags = db.$client
    .prepare("select avg(domestic_abuse) da, avg(under18) u18 from population_cases where offence_group = 'violence'")
    .get() as { da: number; u18: number }
  t.ok(flags.da > 0.2 && flags.da < 0.3, `domestic abuse about a quarter of violence (${flags.da})`)
  t.ok(flags.u18 > 0.08 && flags.u18 < 0.16, `under 18 about 12% (${flags.u18})`)
  const refs = db.$client.prepare('select count(*) n from population_cases where agency_ref is not null').get() as {
    n: number
  }
  t.ok(refs.n < 20_000 * 0.1, 'agency_ref mostly blank')
  t.throws(() => [...generatePopulationCsv({ cases: -1, seed: 1 })], RangeError)
})

t.test('importing into a database file: rows are written by a second thread, all or none', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'qaf-import-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const db = openDatabase(join(dir, 'qaf.sqlite'))
  t.teardown(() => db.$client.close())
  await loadDemoData(db)
  const good = join(dir, 'good.csv')
  writeFileSync(good, generatedCsv(40_000, 'file'))

  const created = await importPopulation(db, {
    path: good,
    fileName: 'good.csv',
    target: { newRoundName: 'From the command line' },
    actor: null,
  })
  t.match(created, { kind: 'imported', rows: 40_000, replaced: 0 })
  if (created.kind !== 'imported') return
  const round = db.$client.prepare('select * from rounds where id = ?').get(created.roundId) as Record<string, unknown>
  t.match(round, { name: 'From the command line', edition: '2020', status: 'draft' })
  const span = db.$client.prepare('select min(reported_on) a, max(reported_on) b from population_cases').get() as {
    a: string
    b: string
  }
  t.same([round.period_from, round.period_to], [span.a, span.b], 'the period comes from the data')
  t.equal(
    (
      db.$client.prepare('select count(*) n from round_agencies where round_id = ?').get(created.roundId) as {
        n: number
      }
    ).n,
    9,
    'every agency in scope',
  )
  t.match(
    db.$client
      .prepare("select count(*) n from audit_log where action in ('round_created', 'population_imported')")
      .get(),
    { n: 2 },
  )

  t.match(
    await importPopulation(db, {
      path: good,
      fileName: 'again.csv',
      target: { roundId: created.roundId },
      actor: null,
    }),
    { kind: 'unchanged', rows: 40_000 },
  )

  const lines = generatedCsv(40_000, 'other').trimEnd().split('\n')
  lines[39_000] = (lines[39_000] as string).replace(
    /,carlisle,|,eden,|,barrow,|,allerdale,|,copeland,|,south_lakeland,/,
    ',atlantis,',
  )
  const bad = join(dir, 'bad.csv')
  writeFileSync(bad, `${lines.join('\n')}\n`)
  const before = snapshot(db)
  const refused = await importPopulation(db, {
    path: bad,
    fileName: 'bad.csv',
    target: { roundId: created.roundId },
    actor: null,
  })
  t.match(refused, { kind: 'problems', count: 1, problems: [{ line: 39_001, column: 'district', value: 'atlantis' }] })
  t.same(snapshot(db), before, 'the rows written before the problem were rolled back')

  const small = join(dir, 'small.csv')
  writeFileSync(small, goodCsv)
  t.match(
    await importPopulation(db, {
      path: small,
      fileName: 'small.csv',
      target: { roundId: created.roundId },
      actor: null,
    }),
    { kind: 'imported', rows: 3, replaced: 40_000 },
  )
  drawSample(db, created.roundId)
  t.match(
    await importPopulation(db, { path: good, fileName: 'good.csv', target: { roundId: created.roundId }, actor: null }),
    { kind: 'refused', messages: [/already been drawn/] },
  )
  t.match(await importPopulation(db, { path: good, fileName: 'good.csv', target: { roundId: 999 }, actor: null }), {
    kind: 'refused',
    messages: [/no audit round/],
  })
  t.equal(snapshot(db).cases, 3)
})
