import { buildApp } from './app.ts'
import { ConfigError, loadConfig, resolveJwtSecret } from './config.ts'
import { openDatabase } from '../schema/database.ts'
import { loadDemoData } from '../seeds/demo.ts'
import { warmAssets } from './plugins/assets.ts'

let config
try {
  config = loadConfig()
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message)
    process.exit(1)
  }
  throw err
}

const db = openDatabase(config.dbFile)
if (config.demoData && (await loadDemoData(db, { rounds: true })))
  console.log(`Loaded Cumbria demo data into ${config.dbFile}`)

const app = await buildApp({ config, db, jwtSecret: resolveJwtSecret(config) })

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down')
    void app.close().then(() => process.exit(0))
  })
}

await app.listen({ port: config.port, host: config.host })
// The stored brotli and gzip copies of the page assets, made now rather than on first request.
void warmAssets().catch((err: unknown) => app.log.error({ err }, 'could not compress the page assets'))
