// What an auditor's browser receives: pages compressed when it accepts brotli or gzip, and the
// stylesheets and scripts under fingerprinted names it may keep for a year.
import t from 'tap'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { buildTestApp, signedIn } from '../fixtures/app.ts'
import { busyCase } from '../fixtures/review.ts'

// Each page carries a fresh CSRF token; the rest is the same page.
const sansTokens = (html: string) => html.replace(/("x-csrf-token": "|name="_csrf" value=")[^"]+/g, '$1')

t.test('a case page with about 40 obligations is compressed and at most 40 KB on the wire', async (t) => {
  const { app, db } = await buildTestApp(t)
  const { caseId, obligations } = busyCase(db)
  t.ok(obligations >= 35, `the case has ${obligations} obligations`)
  const s = await signedIn(app, 'auditor@qaf.example')
  const plain = await s.get(`/cases/${caseId}`)
  t.equal(plain.statusCode, 200)
  t.notOk(plain.headers['content-encoding'], 'not compressed for a client that did not ask')

  const br = await s.get(`/cases/${caseId}`, { 'accept-encoding': 'gzip, deflate, br, zstd' })
  t.equal(br.headers['content-encoding'], 'br')
  t.match(String(br.headers.vary), /accept-encoding/i)
  t.ok(br.rawPayload.length <= 40 * 1024, `${br.rawPayload.length} bytes with brotli`)
  t.equal(
    sansTokens(brotliDecompressSync(br.rawPayload).toString()),
    sansTokens(plain.body),
    'the same page once decompressed',
  )

  const gz = await s.get(`/cases/${caseId}`, { 'accept-encoding': 'gzip' })
  t.equal(gz.headers['content-encoding'], 'gzip')
  t.ok(gz.rawPayload.length <= 40 * 1024, `${gz.rawPayload.length} bytes with gzip`)
  t.equal(sansTokens(gunzipSync(gz.rawPayload).toString()), sansTokens(plain.body))
})

t.test(
  'every stylesheet and script a page names is fingerprinted, cached for a year and served compressed',
  async (t) => {
    const { app } = await buildTestApp(t)
    const page = await app.inject('/sign-in')
    const urls = [...page.body.matchAll(/(?:href|src)="(\/assets\/[^"]+\.(?:css|js))"/g)].map((m) => m[1] as string)
    t.same(urls.length, 6, `the page names ${urls.join(', ')}`)
    for (const url of urls) {
      t.match(url, /^\/assets\/built\/[\w.-]+\.[\w-]{12}\.(css|js)$/, `${url} carries a content hash`)
      const plain = await app.inject(url)
      t.equal(plain.statusCode, 200, url)
      t.match(plain.headers['cache-control'], /max-age=31536000.*immutable/, `${url} may be kept a year`)
      const br = await app.inject({ url, headers: { 'accept-encoding': 'br' } })
      t.equal(br.headers['content-encoding'], 'br', `${url} in brotli`)
      t.equal(brotliDecompressSync(br.rawPayload).toString('latin1'), plain.rawPayload.toString('latin1'))
      t.ok(
        br.rawPayload.length < plain.rawPayload.length / 2 || plain.rawPayload.length < 2000,
        `${url}: ${plain.rawPayload.length} -> ${br.rawPayload.length} bytes`,
      )
    }
    // The module script imports GOV.UK Frontend by its fingerprinted name too.
    const appJs = urls.find((u) => /\/app\.[\w-]+\.js$/.test(u))
    const body = (await app.inject(appJs ?? '')).body
    t.match(body, /from '\/assets\/built\/govuk-frontend\.min\.[\w-]{12}\.js'/)
    const imported = /from '([^']+)'/.exec(body)?.[1] ?? ''
    t.equal((await app.inject(imported)).statusCode, 200)
    // Fonts named by the stylesheet carry GOV.UK Frontend's own hashes.
    const font = await app.inject('/assets/fonts/bold-b542beb274-v2.woff2')
    t.equal(font.statusCode, 200)
    t.match(font.headers['cache-control'], /max-age=31536000.*immutable/)
  },
)
