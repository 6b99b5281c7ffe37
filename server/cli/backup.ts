// npm run backup -- <file>      online backup of DB_FILE while the service runs
// npm run restore -- <file>     replace DB_FILE with a backup (stop the service first)
// npm run verify-audit-log [-- <anchor.json>]   check the audit chain (and that nothing was cut off)
// Exit codes: 0 done/verified, 1 refused or failed the check, 2 wrong usage.
import { pathToFileURL } from 'node:url'
import { existsSync } from 'node:fs'
import { ConfigError, loadConfig } from '../config.ts'
import { backupDatabase, checkFile, readAnchor, restoreDatabase } from '../backup.ts'

export async function main(
  command: string,
  args: string[],
  env: Record<string, string | undefined>,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  let dbFile: string
  try {
    dbFile = loadConfig(env).dbFile
  } catch (e) {
    if (e instanceof ConfigError) {
      err(e.message)
      return 2
    }
    throw e
  }
  const file = args.find((a) => a !== '--')
  try {
    if (command === 'backup') {
      if (!file) return usage(err, 'npm run backup -- <file>')
      const r = await backupDatabase(dbFile, file)
      out(`Backed up ${dbFile} to ${r.file} (integrity ${r.integrity}).`)
      out(`Audit log: ${r.anchor.entries} entries, head ${r.anchor.head} (anchor written to ${r.anchorFile}).`)
      return 0
    }
    if (command === 'restore') {
      if (!file) return usage(err, 'npm run restore -- <file>')
      if (!existsSync(file)) return fail(err, `${file} does not exist`)
      const r = await restoreDatabase(file, dbFile)
      out(`Restored ${dbFile} from ${file}: integrity ok, audit log verified (${r.entries} entries).`)
      if (r.kept) out(`The database it replaced is kept as ${r.kept}.`)
      return 0
    }
    if (command === 'verify-audit-log') {
      const anchor = file ? readAnchor(file) : undefined
      if (file && !anchor) return fail(err, `${file} holds no audit-log anchor`)
      const { integrity, chain } = checkFile(dbFile, anchor)
      if (!chain.ok)
        return fail(
          err,
          `Audit log BROKEN at entry ${chain.brokenAt}: ${chain.reason} (${chain.entries} entries read).`,
        )
      out(
        `Audit log verified: ${chain.entries} entries, head ${chain.head}${
          anchor ? `; includes the anchored ${anchor.entries} entries unchanged` : ''
        }. Database integrity ${integrity}.`,
      )
      return integrity === 'ok' ? 0 : 1
    }
  } catch (e) {
    return fail(err, e instanceof Error ? e.message : String(e))
  }
  return usage(err, 'backup | restore | verify-audit-log')
}

function usage(err: (s: string) => void, text: string) {
  err(`Usage: ${text}`)
  return 2
}
function fail(err: (s: string) => void, text: string) {
  err(text)
  return 1
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command = '', ...args] = process.argv.slice(2)
  main(
    command,
    args,
    process.env,
    (s) => process.stdout.write(`${s}\n`),
    (s) => process.stderr.write(`${s}\n`),
  ).then((code) => process.exit(code))
}
