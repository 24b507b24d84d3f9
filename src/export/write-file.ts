import { createWriteStream } from 'node:fs'
import { PRIVATE_FILE_MODE } from '../files/private-files.js'
import { pipeline } from 'node:stream/promises'
import { CSV_HEADER, type ExportPlan, type ExportQuery, type Store } from '../store/index.js'
import type { ExportFormat } from './formats.js'

export interface WriteOptions {
  readonly format: ExportFormat
  readonly windowRows: number
  readonly timeoutMs: number
  /** The file to write (created or truncated). */
  readonly path: string
  /** Aborting stops the engine's query and the write. */
  readonly signal: AbortSignal
  readonly onPlan: (plan: ExportPlan) => void
  /** Increments of rows and bytes written. */
  readonly onProgress: (rows: number, bytes: number) => void
}

/**
 * Writes an export to a file, from the engine's output straight to disk: one time window after
 * another (see planExport), each the engine's own CSV or JSON lines, chunk by chunk with the
 * file's backpressure, so memory holds a chunk or two whatever the export's size. The file is
 * flushed to disk before this resolves.
 */
export async function writeExport(store: Store, query: ExportQuery, options: WriteOptions): Promise<void> {
  const { format, timeoutMs } = options
  const plan = await store.exports.plan(query, { windowRows: options.windowRows, timeoutMs })
  options.onPlan(plan)
  const onRows = (rows: number) => options.onProgress(rows, 0)
  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (format === 'csv') {
      const header = Buffer.from(CSV_HEADER)
      options.onProgress(0, header.byteLength)
      yield header
    }
    for (const window of plan.windows) {
      for await (const chunk of store.exports.stream(query, window, { format, timeoutMs, onRows })) {
        options.onProgress(0, chunk.byteLength)
        yield chunk
      }
    }
  }
  await pipeline(
    chunks(),
    createWriteStream(options.path, { highWaterMark: 1 << 20, flush: true, mode: PRIVATE_FILE_MODE }),
    {
      signal: options.signal,
    },
  )
}
