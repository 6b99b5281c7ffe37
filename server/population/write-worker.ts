// The writer thread of an import into a database file: its own connection, one transaction held
// from the first message to the last, rows inserted while the main thread is still reading and
// checking the file. Nothing is committed unless the main thread says the file was clean.
import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase } from '../../schema/database.ts'
import { PopulationWriter, type WriteMeta } from './population-writer.ts'
import type { RowBatch } from './row-batches.ts'
import type { ToWriter, FromWriter } from './write-protocol.ts'

const port = parentPort
if (!port) throw new Error('write-worker.ts runs as a worker thread')
const { dbFile, meta } = workerData as { dbFile: string; meta: WriteMeta }

function post(message: FromWriter): void {
  port?.postMessage(message)
}

const db = openDatabase(dbFile)
const client = db.$client
// Replacing a population deletes its cases, and with foreign keys on SQLite would scan the
// whole of sample_cases (no index on population_case_id) for every case deleted. This
// connection is the import's alone, and begin() checks inside the transaction that the round
// exists and that none of its cases is in a sample.
client.pragma('foreign_keys = OFF')
// A page cache of 32 MB instead of SQLite's 2 MB: a million rows go into the table and its three
// indexes, whose pages no longer fit 2 MB, so every insert re-read pages through the OS. Measured
// on a million rows (bench/README.md): CPU 20.6 s -> 14.6 s, peak RSS unchanged (376 -> 364 MB);
// 128 MB saved little more CPU for 85 MB more memory on 300,000 rows.
client.pragma('cache_size = -32768')
let open = false

function end(): void {
  if (open && client.inTransaction) client.exec('ROLLBACK')
  open = false
  client.close()
  port?.close()
}

try {
  // IMMEDIATE: take the write lock now, so the round cannot change under the import.
  client.exec('BEGIN IMMEDIATE')
  open = true
  const writer = new PopulationWriter(db, meta)
  const begun = writer.begin()
  post({ type: 'begun', result: begun })
  if (begun.kind !== 'ready') {
    end()
  } else {
    port.on('message', (message: ToWriter) => {
      try {
        if (message.type === 'batch') {
          writer.insert(message.batch as RowBatch)
          post({ type: 'ack' })
        } else if (message.type === 'finish') {
          const written = writer.finish(message.minDay, message.maxDay)
          client.exec('COMMIT')
          open = false
          post({ type: 'done', written })
          end()
        } else {
          end()
        }
      } catch (err) {
        post({ type: 'error', message: err instanceof Error ? err.message : String(err) })
        end()
      }
    })
  }
} catch (err) {
  post({ type: 'error', message: err instanceof Error ? err.message : String(err) })
  end()
}
