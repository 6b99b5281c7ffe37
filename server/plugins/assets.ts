import fp from 'fastify-plugin'
import staticFiles from '@fastify/static'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, extname, join } from 'node:path'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { projectRoot } from '../project-root.ts'

const require = createRequire(import.meta.url)
const govukDist = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk')
const htmxDist = join(dirname(require.resolve('htmx.org/package.json')), 'dist')
const appAssets = join(projectRoot, 'views', 'assets')

/** A year, the longest lifetime caches honour: a fingerprinted file never changes under its name. */
export const IMMUTABLE = 'public, max-age=31536000, immutable'

const types: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8' }

interface Built {
  url: string
  type: string
  body: Buffer
  encoded: Map<'br' | 'gzip', Promise<Buffer>>
}

// The stylesheets and scripts every page loads, by the name templates ask for. Each is served
// under a name carrying a hash of its content, so browsers may keep it for a year and still get
// the new file the moment it changes (the page names the new hash).
const sources: Array<{ name: string; file: string }> = [
  { name: 'govuk-frontend.min.css', file: join(govukDist, 'govuk-frontend.min.css') },
  { name: 'govuk-frontend.min.js', file: join(govukDist, 'govuk-frontend.min.js') },
  { name: 'htmx.min.js', file: join(htmxDist, 'htmx.min.js') },
  { name: 'app.css', file: join(appAssets, 'app.css') },
  { name: 'print.css', file: join(appAssets, 'print.css') },
  { name: 'init.js', file: join(appAssets, 'init.js') },
  { name: 'app.js', file: join(appAssets, 'app.js') },
]

function build(): Map<string, Built> {
  const built = new Map<string, Built>()
  for (const { name, file } of sources) {
    let text = readFileSync(file, 'latin1')
    // A module's imports name other fingerprinted files, so its own hash covers theirs.
    for (const [other, b] of built) text = text.replaceAll(`/assets/govuk/${other}`, b.url)
    // Source maps stay at their packages' paths.
    if (file.startsWith(govukDist))
      text = text.replace(/sourceMappingURL=(\S+\.map)/, 'sourceMappingURL=/assets/govuk/$1')
    const body = Buffer.from(text, 'latin1')
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 12)
    const ext = extname(name)
    built.set(name, {
      url: `/assets/built/${name.slice(0, -ext.length)}.${hash}${ext}`,
      type: types[ext] ?? 'application/octet-stream',
      body,
      encoded: new Map(),
    })
  }
  return built
}

// Built once per process (hashing is about a millisecond); compressed on first request only.
const assets = build()

/** The fingerprinted URL of one of the page assets, for templates. */
export function assetUrl(name: string): string {
  const a = assets.get(name)
  if (!a) throw new Error(`no asset named ${name}`)
  return a.url
}

const brotli = promisify(zlib.brotliCompress)
const gzip = promisify(zlib.gzip)

// Compressed once, at the strongest setting: the cost is paid once per process, off the main
// thread (zlib's thread pool), and every later request sends the stored bytes.
function encodedBody(a: Built, encoding: 'br' | 'gzip'): Promise<Buffer> {
  let p = a.encoded.get(encoding)
  if (!p) {
    p =
      encoding === 'br'
        ? brotli(a.body, {
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: a.body.length,
            },
          })
        : gzip(a.body, { level: 9 })
    a.encoded.set(encoding, p)
  }
  return p
}

/** Compresses every page asset in the background, so the first visitor does not wait for it. */
export function warmAssets(): Promise<unknown> {
  return Promise.all([...assets.values()].flatMap((a) => [encodedBody(a, 'br'), encodedBody(a, 'gzip')]))
}

export function preferredEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  if (!acceptEncoding) return null
  const offered = new Map<string, number>()
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [coding, ...params] = part.trim().split(';')
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
    if (coding) offered.set(coding, q === undefined ? 1 : Number(q))
  }
  const weight = (c: string) => offered.get(c) ?? offered.get('*') ?? 0
  if (weight('br') > 0) return 'br'
  if (weight('gzip') > 0) return 'gzip'
  return null
}

// Served from the installed packages, never a CDN, so the CSP can stay at 'self'.
export default fp(
  async (app, opts: { cache: boolean }) => {
    for (const a of assets.values()) {
      app.get(
        a.url,
        { config: { access: 'public' }, compress: false },
        async (request: FastifyRequest, reply: FastifyReply) => {
          const encoding = preferredEncoding(request.headers['accept-encoding'])
          reply.header('Content-Type', a.type).header('Cache-Control', IMMUTABLE).header('Vary', 'Accept-Encoding')
          if (!encoding) return reply.send(a.body)
          return reply.header('Content-Encoding', encoding).send(await encodedBody(a, encoding))
        },
      )
    }
    // Files the stylesheet names itself (fonts, images) and the old unfingerprinted paths. GOV.UK
    // Frontend's font files carry a hash in their names, so they may be kept for a year too.
    const common = { maxAge: opts.cache ? '1d' : 0, decorateReply: false, index: false as const, wildcard: true }
    await app.register(staticFiles, {
      ...common,
      root: join(govukDist, 'assets', 'fonts'),
      prefix: '/assets/fonts/',
      maxAge: '365d',
      immutable: true,
    })
    await app.register(staticFiles, { ...common, root: join(govukDist, 'assets'), prefix: '/assets/' })
    await app.register(staticFiles, {
      ...common,
      root: govukDist,
      prefix: '/assets/govuk/',
      allowedPath: (p) => /^\/govuk-frontend\.min\.(css|js)(\.map)?$/.test(p),
    })
    await app.register(staticFiles, {
      ...common,
      root: htmxDist,
      prefix: '/assets/htmx/',
      allowedPath: (p) => p === '/htmx.min.js',
    })
    await app.register(staticFiles, { ...common, root: appAssets, prefix: '/assets/app/' })
  },
  { name: 'assets' },
)
