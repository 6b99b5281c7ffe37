import t from 'tap'
import { Readable } from 'node:stream'
import { buildTestApp, signedIn } from '../fixtures/app.ts'
import {
  createRound,
  drawSample,
  finishedJob,
  generatedCsv,
  goodCsv,
  importThroughBrowser,
  multipart,
  snapshot,
  upload,
} from '../fixtures/population.ts'

t.test('an admin imports a good file: every row saved, the import recorded and logged', async (t) => {
  const { app, db } = await buildTestApp(t)
  const roundId = createRound(db)
  const s = await signedIn(app, 'admin@qaf.example')
  const page = await s.get(`/rounds/${roundId}/population`)
  t.equal(page.statusCode, 200)
  t.match(page.body, /None yet/)
  t.match(page.body, /enctype="multipart\/form-data"/)
  t.match(page.body, /href="\/population\/template.csv"/)
  t.match(page.body, /href="\/population\/columns"/)

  const { page: done } = await importThroughBrowser(app, s, roundId, goodCsv, 'cumbria.csv')
  t.match(done.body, /Population imported/)
  t.match(done.body, /3 cases from cumbria.csv/)
  const rows = db.$client
    .prepare('select * from population_cases where round_id = ? order by id')
    .all(roundId) as Record<string, unknown>[]
  t.equal(rows.length, 3)
  t.match(rows[0], {
    case_ref: 'CA-1',
    reported_on: '2023-05-01',
    offence_group: 'violence',
    district: 'carlisle',
    domestic_abuse: 1,
    under18: 0,
    vulnerable: null,
    outcome: 'Charged',
  })
  t.same(JSON.parse(String(rows[0]?.events)), [
    { type: 'charged', date: '2023-05-03' },
    { type: 'hearing_held', date: '2023-05-20' },
    { type: 'hearing_held', date: '2023-08-01' },
  ])
  t.match(rows[1], { case_ref: 'BA-2', domestic_abuse: null, under18: null, events: null })
  const imp = db.$client.prepare('select * from population_imports where round_id = ?').get(roundId) as Record<
    string,
    unknown
  >
  t.match(imp, { file_name: 'cumbria.csv', rows: 3, imported_by: 1 })
  t.match(String(imp.file_sha256), /^[0-9a-f]{64}$/)
  const log = db.$client
    .prepare("select actor_email, entity_id, after from audit_log where action = 'population_imported'")
    .get() as Record<string, string>
  t.equal(log.actor_email, 'admin@qaf.example')
  t.equal(log.entity_id, String(roundId))
  t.notMatch(log.after, /CA-1/, 'the log holds no row data')

  const again = await s.get(`/rounds/${roundId}/population`)
  t.match(again.body, /data-qa="population-count">3</)
  t.match(again.body, /cumbria.csv, 3 cases/)
  t.match(again.body, /Replace the population/)
})

t.test(
  'UTF-8 with a byte-order mark, CRLF line ends and quoted commas, quotes and line breaks all import',
  async (t) => {
    const { app, db } = await buildTestApp(t)
    const roundId = createRound(db)
    const s = await signedIn(app, 'admin@qaf.example')
    const csv =
      '\uFEFFCase_Ref , Reported_On,OFFENCE_GROUP,district,outcome\r\n' +
      'A/1,2023-05-01,Violence,Carlisle,"Charged, then ""bailed"""\r\n' +
      '\r\n' +
      'B_2,2023-05-02,theft,south_lakeland,"Two\r\nlines – with a dash"\r\n'
    const { page } = await importThroughBrowser(app, s, roundId, csv)
    t.match(page.body, /Population imported/)
    const rows = db.$client
      .prepare('select case_ref, offence_group, district, outcome from population_cases order by id')
      .all()
    t.same(rows, [
      { case_ref: 'A/1', offence_group: 'violence', district: 'carlisle', outcome: 'Charged, then "bailed"' },
      { case_ref: 'B_2', offence_group: 'theft', district: 'south_lakeland', outcome: 'Two\r\nlines – with a dash' },
    ])
  },
)

t.test('every kind of bad file gets a clear message and leaves the database as it was', async (t) => {
  const { app, db } = await buildTestApp(t)
  const roundId = createRound(db)
  const s = await signedIn(app, 'admin@qaf.example')
  await importThroughBrowser(app, s, roundId, goodCsv)
  const before = snapshot(db)

  const cases: [string, string | Buffer, RegExp][] = [
    ['empty file', '', /The file is empty/],
    ['only a byte-order mark and blank lines', '\uFEFF\r\n\r\n', /The file is empty/],
    ['header but no rows', 'case_ref,reported_on,offence_group,district\n', /no cases under it/],
    [
      'missing required columns',
      'case_ref,reported_on\nX1,2023-01-01\n',
      /missing the required columns &quot;offence_group&quot;, &quot;district&quot;/,
    ],
    [
      'unknown extra column',
      'case_ref,reported_on,offence_group,district,victim_name\nX1,2023-01-01,theft,eden,Bob\n',
      /does not recognise: &quot;victim_name&quot;/,
    ],
    [
      'a column twice',
      'case_ref,reported_on,offence_group,district,District\nX1,2023-01-01,theft,eden,eden\n',
      /appear more than once: &quot;district&quot;/,
    ],
    [
      'semicolons, not commas',
      'case_ref;reported_on;offence_group;district\nX1;2023-01-01;theft;eden\n',
      /uses semicolons/,
    ],
    [
      'an Excel workbook',
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]),
      /spreadsheet workbook, not a CSV file/,
    ],
    ['binary data', Buffer.from([0x63, 0x61, 0x73, 0x65, 0x00, 0x01, 0x02, 0xff, 0x00]), /contains binary data/],
    ['UTF-16 text', Buffer.from('\uFEFFcase_ref,reported_on\n', 'utf16le'), /UTF-16/],
    [
      'Windows-1252 text',
      Buffer.from('case_ref,reported_on,offence_group,district,outcome\nX1,2023-01-01,theft,eden,caf\xe9\n', 'latin1'),
      /not UTF-8 text/,
    ],
    [
      'an unclosed quote',
      'case_ref,reported_on,offence_group,district,outcome\nX1,2023-01-01,theft,eden,"never closed\nX2,2023-01-01,theft,eden,ok\n',
      /line 2 is never closed/,
    ],
  ]
  for (const [what, content, message] of cases) {
    const { page } = await importThroughBrowser(app, s, roundId, content)
    t.match(page.body, message, what)
    t.match(page.body, /govuk-error-summary/, `${what}: error summary`)
    t.same(snapshot(db), before, `${what}: nothing changed`)
  }
})

t.test(
  'bad rows: nothing imported, the first 100 problems listed with line, column, value and reason, all of them as CSV',
  async (t) => {
    const { app, db } = await buildTestApp(t)
    const roundId = createRound(db)
    const s = await signedIn(app, 'admin@qaf.example')
    const before = snapshot(db)
    const lines = ['case_ref,reported_on,offence_group,district,under_18,crime_recorded,hearing_held']
    for (let i = 1; i <= 130; i++) lines.push(`R${i},2023-02-30,theft,eden,maybe,,`)
    lines.push('R1,2023-01-01,burglary,,yes,2023-01-01;2023-01-02,2023-01-01;2023-13-01')
    lines.push('bad ref!,2023-01-01,theft,eden,no,,')
    lines.push('R200,2023-01-01,theft,eden')
    const { location, page } = await importThroughBrowser(app, s, roundId, lines.join('\n'))
    t.same(snapshot(db), before, 'nothing written')
    t.match(page.body, /The file has 267 problems. Nothing was imported./)
    t.match(page.body, /The first 100 of 267 problems/)
    t.equal((page.body.match(/<tr class="govuk-table__row">/g) ?? []).length - 1, 100, '100 rows in the table')
    t.match(
      page.body,
      /<td class="govuk-table__cell app-numeric">2<\/td>\s*<td class="govuk-table__cell">reported_on<\/td>\s*<td class="govuk-table__cell">2023-02-30<\/td>\s*<td class="govuk-table__cell">Enter a real date as YYYY-MM-DD<\/td>/,
    )
    t.match(page.body, /under_18<\/td>\s*<td class="govuk-table__cell">maybe<\/td>/)

    const csv = await s.get(`${location}/problems.csv`)
    t.equal(csv.statusCode, 200)
    t.match(csv.headers['content-type'], /text\/csv/)
    t.match(csv.headers['content-disposition'], /attachment/)
    const rows = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    t.equal(rows[0], 'line,column,value,reason')
    t.equal(rows.length, 268, 'all 267 problems')
    const last = rows.slice(-7).join('\n')
    t.match(last, /132,district,,Enter the district: this column must not be blank/)
    t.match(last, /132,offence_group,burglary,"Offence group must be one of violence, sexual,/)
    t.match(last, /132,crime_recorded,2023-01-01;2023-01-02,This event happens only once in a case: give one date/)
    t.match(last, /132,hearing_held,2023-01-01;2023-13-01,"""2023-13-01"": Enter a real date as YYYY-MM-DD"/)
    t.match(last, /132,case_ref,R1,Case reference R1 is also on line 2: each case must appear only once/)
    t.match(last, /133,case_ref,bad ref!,"Case reference can only contain letters/)
    t.match(last, /134,,,"This row has 4 values but the first line names 7 columns/)
  },
)

t.test('a duplicate case reference names both lines', async (t) => {
  const { app, db } = await buildTestApp(t)
  const roundId = createRound(db)
  const s = await signedIn(app, 'admin@qaf.example')
  const { page } = await importThroughBrowser(
    app,
    s,
    roundId,
    'case_ref,reported_on,offence_group,district\nA1,2023-01-01,theft,eden\nA2,2023-01-01,theft,eden\nA1,2023-01-02,theft,eden\n',
  )
  t.match(page.body, /Case reference A1 is also on line 2: each case must appear only once/)
  t.match(page.body, /<td class="govuk-table__cell app-numeric">4<\/td>/)
  t.equal(snapshot(db).cases, 0)
})

t.test('an error on the last line of a large file leaves the database unchanged', async (t) => {
  const { app, db } = await buildTestApp(t)
  const roundId = createRound(db)
  const s = await signedIn(app, 'admin@qaf.example')
  const lines = generatedCsv(20_000, 'large').trimEnd().split('\n')
  lines[lines.length - 1] = (lines[lines.length - 1] as string).replace(/^([^,]*),[^,]*,/, '$1,2023-99-01,')
  const before = snapshot(db)
  const { page } = await importThroughBrowser(app, s, roundId, `${lines.join('\n')}\n`)
  t.match(page.body, /The file has 1 problem. Nothing was imported./)
  t.match(
    page.body,
    /<td class="govuk-table__cell app-numeric">20,001<\/td>\s*<td class="govuk-table__cell">reported_on<\/td>/,
  )
  t.same(snapshot(db), before)
})

t.test(
  'the same file again is a no-op; a different one replaces the population in draft, not after a draw',
  async (t) => {
    const { app, db } = await buildTestApp(t)
    const roundId = createRound(db)
    const s = await signedIn(app, 'admin@qaf.example')
    await importThroughBrowser(app, s, roundId, goodCsv)
    const first = snapshot(db)

    const { page: same } = await importThroughBrowser(app, s, roundId, goodCsv, 'renamed.csv')
    t.match(same.body, /Nothing changed/)
    t.match(same.body, /is already this round(&#39;|')s population/)
    t.same(snapshot(db), first, 'no-op')

    const replacement = 'case_ref,reported_on,offence_group,district\nN1,2023-09-01,robbery,copeland\n'
    const { page: replaced } = await importThroughBrowser(app, s, roundId, replacement)
    t.match(replaced.body, /Population imported/)
    t.match(replaced.body, /They replace the 3 cases imported before/)
    t.same(db.$client.prepare('select case_ref from population_cases where round_id = ?').all(roundId), [
      { case_ref: 'N1' },
    ])
    const log = db.$client
      .prepare("select before, after from audit_log where action = 'population_imported' order by id desc")
      .get() as Record<string, string>
    t.match(JSON.parse(String(log.before)), { rows: 3 })
    t.match(JSON.parse(String(log.after)), { rows: 1, replacedRows: 3 })

    drawSample(db, roundId)
    const drawn = snapshot(db)
    const page = await s.get(`/rounds/${roundId}/population`)
    t.match(page.body, /a sample has already been drawn/)
    t.notMatch(page.body, /data-qa="upload-form"/, 'no upload form once drawn')
    const { page: refused } = await importThroughBrowser(app, s, roundId, goodCsv)
    t.match(refused.body, /cannot be changed: a sample has already been drawn from it/)
    t.same(snapshot(db), drawn)
    const { page: sameAgain } = await importThroughBrowser(app, s, roundId, replacement)
    t.match(sameAgain.body, /Nothing changed/, 'the current file is still recognised as a no-op')
  },
)

t.test('a round past sampling takes no new population', async (t) => {
  const { app, db } = await buildTestApp(t)
  const sampling = createRound(db, { status: 'sampling' })
  const fieldwork = createRound(db, { status: 'fieldwork' })
  const s = await signedIn(app, 'admin@qaf.example')
  t.match((await importThroughBrowser(app, s, sampling, goodCsv)).page.body, /Population imported/)
  const before = snapshot(db)
  const { page } = await importThroughBrowser(app, s, fieldwork, goodCsv)
  t.match(page.body, /the round is at the fieldwork stage/)
  t.same(snapshot(db), before)
})

t.test(
  'only admins import; other roles get 404 for the import pages, admins and moderators may read the guide',
  async (t) => {
    const { app, db } = await buildTestApp(t)
    const roundId = createRound(db)
    const admin = await signedIn(app, 'admin@qaf.example')
    const { location } = await importThroughBrowser(
      app,
      admin,
      roundId,
      'case_ref,reported_on,offence_group,district\nX,2023-01-01,bad,eden\n',
    )
    for (const email of [
      'auditor@qaf.example',
      'moderator@qaf.example',
      'police@qaf.example',
      'advocate@qaf.example',
      'viewer@qaf.example',
    ]) {
      const s = await signedIn(app, email)
      t.equal((await s.get(`/rounds/${roundId}/population`)).statusCode, 404, `${email} page`)
      t.equal((await s.get(location)).statusCode, 404, `${email} job`)
      t.equal((await s.get(`${location}/problems.csv`)).statusCode, 404, `${email} problems`)
      const before = snapshot(db)
      const res = await upload(app, s, roundId, goodCsv)
      t.equal(res.statusCode, 404, `${email} upload`)
      t.same(snapshot(db), before)
      const guide = email === 'moderator@qaf.example' ? 200 : 404
      t.equal((await s.get('/population/columns')).statusCode, guide, `${email} guide`)
      t.equal((await s.get('/population/template.csv')).statusCode, guide, `${email} template`)
    }
    t.equal((await admin.get('/rounds/999/population')).statusCode, 404, 'unknown round')
    t.equal((await admin.get(`/rounds/${roundId}/population/jobs/nope`)).statusCode, 404, 'unknown job')
    const other = createRound(db)
    t.equal(
      (await admin.get(location.replace(`/rounds/${roundId}/`, `/rounds/${other}/`))).statusCode,
      404,
      'a job under another round',
    )
  },
)

t.test('the upload needs a valid CSRF token', async (t) => {
  const { app, db } = await buildTestApp(t)
  const roundId = createRound(db)
  const s = await signedIn(app, 'admin@qaf.example')
  const before = snapshot(db)
  const missing = await upload(app, s, roundId, goodCsv, { csrf: null })
  t.equal(missing.statusCode, 403)
  t.match(missing.body, /This form has expired/)
  const forged = await upload(app, s, roundId, goodCsv, { csrf: 'made-up' })
  t.equal(forged.statusCode, 403)
  t.same(snapshot(db), before)
  const header = await upload(app, s, roundId, goodCsv, {
    csrf: null,
    headers: { 'x-csrf-token': await s.csrfToken('/') },
  })
  t.equal(header.statusCode, 303, 'the htmx header works too')
})

t.test('an upload without a file is shown the form again with an error', async (t) => {
  const { app, db } = await buildTestApp(t)
  const roundId = createRound(db)
  const s = await signedIn(app, 'admin@qaf.example')
  const body = multipart({ _csrf: await s.csrfToken('/') }, { name: '', content: '' })
  const res = await app.inject({
    method: 'POST',
    url: `/rounds/${roundId}/population`,
    payload: body.payload,
    headers: { 'content-type': body.contentType, cookie: s.header() },
  })
  t.equal(res.statusCode, 400)
  t.match(res.body, /Select a CSV file/)
  t.match(res.body, /govuk-file-upload--error/)
  const plain = await s.post(`/rounds/${roundId}/population`, {})
  t.equal(plain.statusCode, 400)
})

t.test('a file over the size limit gets a clear 413 page, not a crash', async (t) => {
  const { app, db } = await buildTestApp(t)
  const roundId = createRound(db)
  const s = await signedIn(app, 'admin@qaf.example')
  const before = snapshot(db)
  const declared = await app.inject({
    method: 'POST',
    url: `/rounds/${roundId}/population`,
    payload: 'x',
    headers: {
      'content-type': 'multipart/form-data; boundary=b',
      'content-length': String(300 * 1024 * 1024),
      cookie: s.header(),
    },
  })
  t.equal(declared.statusCode, 413)
  t.match(declared.body, /The file must be smaller than 250 MB/)

  // Streamed without a declared length, 251 MB of rows: cut off at the limit.
  const token = await s.csrfToken('/')
  const head = multipart({ _csrf: token })
  const boundary = /boundary=(.*)$/.exec(head.contentType)?.[1] as string
  const row = Buffer.from('X1,2023-01-01,theft,eden\n'.repeat(40_000))
  let sent = 0
  const target = 251 * 1024 * 1024
  const body = Readable.from(
    (function* () {
      yield Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\ncase_ref,reported_on,offence_group,district\n`,
      )
      while (sent < target) {
        sent += row.length
        yield row
      }
      yield Buffer.from(`\r\n--${boundary}--\r\n`)
    })(),
  )
  const streamed = await app.inject({
    method: 'POST',
    url: `/rounds/${roundId}/population`,
    payload: body,
    headers: { 'content-type': head.contentType, cookie: s.header() },
  })
  t.equal(streamed.statusCode, 413)
  t.match(streamed.body, /The file must be smaller than 250 MB/)
  t.same(snapshot(db), before)
})

t.test('the job page: a full page normally, the progress fragment for htmx polling, a refresh once done', async (t) => {
  const { app, db } = await buildTestApp(t)
  const roundId = createRound(db)
  const s = await signedIn(app, 'admin@qaf.example')
  const res = await upload(app, s, roundId, generatedCsv(30_000, 'poll'))
  const location = String(res.headers.location)
  const first = await s.get(location)
  if (first.body.includes('data-qa="job-running"')) {
    t.match(first.body, /<html/, 'page')
    t.match(first.body, /hx-trigger="every 1s"/)
    t.match(first.body, /refresh the page<\/a>/, 'a refresh link for browsers without JavaScript')
    const fragment = await s.get(location, { 'hx-request': 'true' })
    if (fragment.body.includes('job-running')) {
      t.notMatch(fragment.body, /<html/, 'fragment only')
      t.match(fragment.body, /<progress class="app-progress"/)
    }
  }
  await finishedJob(s, location)
  const done = await s.get(location, { 'hx-request': 'true' })
  t.equal(done.headers['hx-refresh'], 'true')
  t.equal(snapshot(db).cases, 30_000)
})

t.test('the template CSV and the column guide', async (t) => {
  const { app, db } = await buildTestApp(t)
  const s = await signedIn(app, 'admin@qaf.example')
  const template = await s.get('/population/template.csv')
  t.equal(template.statusCode, 200)
  t.match(template.headers['content-disposition'], /attachment; filename="population-template.csv"/)
  const lines = template.body.trimEnd().split('\r\n')
  t.equal(lines.length, 3, 'header and two examples')
  t.match(lines[0], /^case_ref,reported_on,offence_group,district,under_18,/)
  t.match(lines[0], /,sentence,/)

  // The template itself imports cleanly.
  const roundId = createRound(db)
  const { page } = await importThroughBrowser(app, s, roundId, template.body)
  t.match(page.body, /Population imported/)

  const guide = await s.get('/population/columns')
  t.equal(guide.statusCode, 200)
  t.equal((guide.body.match(/<h1/g) ?? []).length, 1)
  for (const name of [
    'case_ref',
    'reported_on',
    'offence_group',
    'district',
    'under_18',
    'hate_crime',
    'outcome',
    'agency_ref',
    'charged',
    'hearing_held',
  ]) {
    t.match(guide.body, new RegExp(`<code>${name}</code>`), name)
  }
  t.match(guide.body, /criminal_damage_arson/)
  t.match(guide.body, /south_lakeland/)
  t.match(guide.body, /scope="row"/)
})
