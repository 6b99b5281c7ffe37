// Messages between an import and its writer thread.
import type { BeginResult, Written } from './population-writer.ts'
import type { RowBatch } from './row-batches.ts'

export type ToWriter =
  | { type: 'batch'; batch: RowBatch }
  | { type: 'finish'; minDay: number; maxDay: number }
  | { type: 'abort' }

export type FromWriter =
  | { type: 'begun'; result: BeginResult }
  | { type: 'ack' }
  | { type: 'done'; written: Written }
  | { type: 'error'; message: string }
