// Usage: npx tsx audits/print-framework.ts 2015|2020
// Prints an edition's items as a table for checking against the published Code.
import { frameworkTable } from './frameworks/table.ts'

const edition = process.argv[2]
if (edition === '2015' || edition === '2020') {
  process.stdout.write(frameworkTable(edition))
} else {
  process.stderr.write('Usage: npx tsx audits/print-framework.ts 2015|2020\n')
  process.exitCode = 2
}
