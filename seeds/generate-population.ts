// npm run generate-population -- --cases N --seed S [--from YYYY-MM-DD --to YYYY-MM-DD] > file.csv
// Writes a synthetic Cumbria-shaped population to stdout, streaming, so a million rows never
// sit in memory.
import { parseArgs } from 'node:util'
import { once } from 'node:events'
import { generatePopulationCsv } from './population-generator.ts'

const usage =
  'Usage: npm run generate-population -- --cases N [--seed S] [--from YYYY-MM-DD] [--to YYYY-MM-DD] > population.csv'

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`)
  process.exit(2)
}

let values
try {
  ;({ values } = parseArgs({
    options: {
      cases: { type: 'string' },
      seed: { type: 'string', default: '1' },
      from: { type: 'string' },
      to: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }))
} catch (err) {
  fail((err as Error).message)
}
if (values.help) {
  process.stdout.write(`${usage}\n`)
  process.exit(0)
}
if (!values.cases || !/^\d{1,9}$/.test(values.cases)) fail('--cases must be a whole number')

let chunks: Generator<string>
try {
  chunks = generatePopulationCsv({
    cases: Number(values.cases),
    seed: values.seed ?? '1',
    periodFrom: values.from,
    periodTo: values.to,
  })
  // Options are checked when the generator starts, so a bad date fails before any output.
  const first = chunks.next()
  if (!first.done) process.stdout.write(first.value)
} catch (err) {
  fail((err as Error).message)
}

// A closed pipe (`| head`) is a normal way to stop reading, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0)
  throw err
})
for (const chunk of chunks) {
  if (!process.stdout.write(chunk)) await once(process.stdout, 'drain')
}
