import fp from 'fastify-plugin'
import staticFiles from '@fastify/static'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const govukDist = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk')
const htmxDist = join(dirname(require.resolve('htmx.org/package.json')), 'dist')
const appAssets = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'views', 'assets')

// Served from the installed packages, never a CDN, so the CSP can stay at 'self'.
export default fp(
  async (app, opts: { cache: boolean }) => {
    const common = { maxAge: opts.cache ? '1d' : 0, decorateReply: false, index: false as const, wildcard: true }
    await app.register(staticFiles, { ...common, root: join(govukDist, 'assets'), prefix: '/assets/' })
    await app.register(staticFiles, { ...common, root: govukDist, prefix: '/assets/govuk/', allowedPath: (p) => /^\/govuk-frontend\.min\.(css|js)(\.map)?$/.test(p) })
    await app.register(staticFiles, { ...common, root: htmxDist, prefix: '/assets/htmx/', allowedPath: (p) => p === '/htmx.min.js' })
    await app.register(staticFiles, { ...common, root: appAssets, prefix: '/assets/app/' })
  },
  { name: 'assets' },
)
