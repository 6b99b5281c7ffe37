// The server as `npm start` runs it (node with tsx, server/main.ts) on a given database file:
// how long from launch until /health answers, and its resident memory at rest, once just started
// and once more after serving the given pages and idling.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN) / 1024
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function startupAndRest(
  dbFile: string,
  jwtSecret: string,
  cookie: string,
  pages: string[],
): Promise<{ startupMs: number; rssAtStartMb: number; rssAtRestMb: number }> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'server', 'main.ts')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DB_FILE: dbFile,
      JWT_SECRET: jwtSecret,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO_DATA: 'off',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  try {
    const base = `http://127.0.0.1:${port}`
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`)
      const ok = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      )
      if (ok) break
      if (performance.now() - started > 60_000) throw new Error('the server did not start within a minute')
      await sleep(20)
    }
    const startupMs = performance.now() - started
    await sleep(2000)
    const rssAtStartMb = rssMb(child.pid as number)
    for (const page of pages) {
      const res = await fetch(`${base}${page}`, { headers: { cookie, 'accept-encoding': 'br' } })
      if (!res.ok) throw new Error(`${page} answered ${res.status}`)
      await res.arrayBuffer()
    }
    await sleep(3000)
    return { startupMs, rssAtStartMb, rssAtRestMb: rssMb(child.pid as number) }
  } finally {
    child.kill('SIGTERM')
  }
}
