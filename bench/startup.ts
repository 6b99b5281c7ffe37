// The server as it runs for real (server/main.ts in a process of its own) on a given database
// file: how long from launch until /health answers, and its resident memory.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')

/** A port nobody listens on now (the compiled start's test uses it too). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** Resident memory of a process, from /proc. */
export const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN) / 1024
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** CPU time (user and system, every thread) a process has used so far, from /proc, in ms. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  // utime and stime, fields 14 and 15 of the whole line, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/**
 * How the server is launched: `compiled` is what `npm start` runs (dist/server/main.js, built by
 * `npm run build`); `tsx` is the TypeScript source through tsx's loader (`npm run dev`).
 */
export type Launch = 'compiled' | 'tsx'

export const compiledMain = join(root, 'dist', 'server', 'main.js')

export function launchArgs(launch: Launch): string[] {
  if (launch === 'tsx') return ['--import', 'tsx', join(root, 'server', 'main.ts')]
  if (!existsSync(compiledMain)) throw new Error('no compiled server: run `npm run build` first')
  return [compiledMain]
}

export interface RunningServer {
  base: string
  pid: number
  startupMs: number
  /** CPU the start-up used: on a busy machine, the steadier figure (wall time is mostly waiting for a core). */
  startupCpuMs: number
  child: ChildProcess
  stop(): Promise<void>
}

/** Launches the server on the file and waits until /health answers. */
export async function startServer(dbFile: string, jwtSecret: string, launch: Launch): Promise<RunningServer> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, launchArgs(launch), {
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
  const stop = async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await exited
  }
  const base = `http://127.0.0.1:${port}`
  try {
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
  } catch (err) {
    await stop()
    throw err
  }
  const startupMs = performance.now() - started
  return { base, pid: child.pid as number, startupMs, startupCpuMs: cpuMs(child.pid as number), child, stop }
}

/** Start-up time, and RSS once just started and once more after serving the pages and idling 3 s. */
export async function startupAndRest(
  dbFile: string,
  jwtSecret: string,
  cookie: string,
  pages: string[],
  launch: Launch = 'compiled',
): Promise<{ startupMs: number; startupCpuMs: number; rssAtStartMb: number; rssAtRestMb: number }> {
  const server = await startServer(dbFile, jwtSecret, launch)
  try {
    await sleep(2000)
    const rssAtStartMb = rssMb(server.pid)
    for (const page of pages) {
      const res = await fetch(`${server.base}${page}`, { headers: { cookie, 'accept-encoding': 'br' } })
      if (!res.ok) throw new Error(`${page} answered ${res.status}`)
      await res.arrayBuffer()
    }
    await sleep(3000)
    return {
      startupMs: server.startupMs,
      startupCpuMs: server.startupCpuMs,
      rssAtStartMb,
      rssAtRestMb: rssMb(server.pid),
    }
  } finally {
    await server.stop()
  }
}

let built: number | null = null

/** `npm run build` once per bench run, so the compiled server is the current source; how long it took, in ms. */
export function ensureBuilt(): number {
  if (built !== null) return built
  const started = performance.now()
  execFileSync('npm', ['run', '--silent', 'build'], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  built = performance.now() - started
  return built
}
