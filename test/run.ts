// `npm test`: runs tap over every test (unit, integration, browser) and ends with a plain
// "N passed, N failed" line so CI logs show the count at a glance.
import { spawn } from 'node:child_process'

const child = spawn('npx', ['tap', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] })
let tail = ''
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk)
  tail = (tail + chunk.toString()).slice(-4000)
})
child.on('close', (code) => {
  const summary = /# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?/.exec(tail)
  const passed = Number(summary?.[2] ?? 0)
  const failed = Number(summary?.[3] ?? 0) + (code !== 0 && !summary?.[3] ? 1 : 0)
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`)
  process.exit(code ?? 1)
})
