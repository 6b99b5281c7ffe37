// `npm test`: runs tap over every test (unit, integration, browser) under c8, and ends with a
// plain "N passed, N failed" line so CI logs show the count at a glance.
//
// Coverage policy: the domain core in audits/ is pure and fully testable, so it must stay at
// 98% of lines and 95% of branches (c8 fails the run below that). Server code is covered by the
// integration and browser tests; its figure is not a gate.
import { spawn } from 'node:child_process'

const c8 = [
  'c8',
  '--include',
  'audits/**',
  '--check-coverage',
  '--lines',
  '98',
  '--branches',
  '95',
  '--functions',
  '98',
  '--reporter',
  'text-summary',
]
const child = spawn('npx', [...c8, 'tap', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] })
let tail = ''
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk)
  tail = (tail + chunk.toString()).slice(-8000)
})
child.on('close', (code) => {
  const summary = [...tail.matchAll(/# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?/g)].pop()
  const passed = Number(summary?.[2] ?? 0)
  const failed = Number(summary?.[3] ?? 0)
  if (code !== 0 && failed === 0)
    process.stdout.write('\nThe run failed outside the tests (coverage below the policy, or a crash): see above.\n')
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`)
  process.exit(code ?? 1)
})
