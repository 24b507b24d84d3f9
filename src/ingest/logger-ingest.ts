import { createHash } from 'node:crypto'
import type { EventRecord } from '../domain/event.js'
import type { QuarantineEntry } from '../domain/quarantine.js'
import type { Logger } from '../observability/logger.js'
import type { Metrics } from '../observability/metrics.js'
import type { Store } from '../store/index.js'
import { arrayElementTexts } from './json-array.js'
import { readLoggerEvent } from './logger-events.js'
import type { EventWriter, WriteOutcome } from './writer.js'

/** A body CVAT's logger posted: its bytes as received and the events parsed from them. */
export interface LoggerBody {
  readonly bytes: Buffer
  /** The events: the array's elements, or the one object the body was. */
  readonly items: readonly unknown[]
  /** True when the body was a JSON array (its elements' raw texts are cut from the bytes). */
  readonly isArray: boolean
}

/** The listener's own request, for the quarantine's records only (never stamped into events). */
export interface LoggerRequest {
  readonly requestId: string
  readonly receivedAtMs: number
}

export interface LoggerOutcome {
  /** Events written (stored or spooled). */
  readonly stored: number
  /** Events set aside in the quarantine. */
  readonly quarantined: number
  readonly outcome: WriteOutcome
}

/**
 * Ingest for CVAT's server logger. CVAT's transport (python-logstash-async `HttpTransport`) keeps
 * unsent events in a local queue and re-sends the same batch, forever, on any answer but success:
 * one event refused would stall every event behind it. So a batch is never refused for what its
 * events hold: the events that can be stored as they are are written, the others go to the
 * quarantine with the reason. Only a failure of the service itself (the store and the spool both
 * unusable) rejects, so that CVAT sends the batch again later.
 */
export interface LoggerIngest {
  batch(body: LoggerBody, request: LoggerRequest): Promise<LoggerOutcome>
}

export interface LoggerIngestOptions {
  readonly writer: Pick<EventWriter, 'write'>
  readonly quarantine: Pick<Store['quarantine'], 'add'>
  readonly log: Logger
  readonly metrics?: Pick<Metrics, 'eventsAccepted' | 'eventsQuarantined'>
}

const PATH = 'cvat_logger'

export function createLoggerIngest(options: LoggerIngestOptions): LoggerIngest {
  const { writer, quarantine, log, metrics } = options

  const setAside = async (entries: QuarantineEntry[], dedupToken: string, requestId: string) => {
    if (entries.length === 0) return
    await quarantine.add(entries, dedupToken)
    for (const e of entries) metrics?.eventsQuarantined.inc({ reason: e.reason })
    log.warn('CVAT logger events quarantined', {
      requestId,
      events: entries.length,
      reasons: [...new Set(entries.map((e) => e.reason))],
      first: entries[0]?.message,
    })
  }

  return {
    async batch(body, request) {
      let texts: string[] | undefined
      const rawOf = (i: number) => {
        if (!body.isArray) return body.bytes.toString('utf8').trim()
        texts ??= arrayElementTexts(body.bytes.toString('utf8'))
        return texts[i] ?? JSON.stringify(body.items[i])
      }
      const entry = (i: number, reason: string, message: string): QuarantineEntry => ({
        receivedAtMs: request.receivedAtMs,
        path: PATH,
        reason,
        message,
        requestId: request.requestId,
        position: i,
        raw: rawOf(i),
      })

      const records: { record: EventRecord; position: number }[] = []
      const rejected: QuarantineEntry[] = []
      body.items.forEach((item, i) => {
        const result = readLoggerEvent(item)
        if (result.ok) records.push({ record: result.record, position: i })
        else rejected.push(entry(i, result.reason, result.message))
      })
      // The body's hash names the batch: CVAT re-sends a batch byte for byte, so a retry after a
      // failure below quarantines nothing twice.
      const token = createHash('sha256').update(body.bytes).digest('hex')
      // First the quarantine: if the store cannot take it, nothing is written yet and the error
      // makes CVAT send the whole batch again.
      await setAside(rejected, `quarantine:${token}`, request.requestId)

      let outcome: WriteOutcome = 'stored'
      let failed: QuarantineEntry[] = []
      try {
        outcome = await writer.write(records.map((r) => r.record))
      } catch (error) {
        if (isSystemError(error)) throw error
        ;({ outcome, failed } = await isolate(writer, records, (position, message) =>
          entry(position, 'store_rejected', message),
        ))
        log.error('the store refused CVAT logger events', { requestId: request.requestId, error })
      }
      await setAside(failed, `rejected:${token}`, request.requestId)
      const stored = records.length - failed.length
      metrics?.eventsAccepted.inc({ path: PATH }, stored)
      return { stored, quarantined: rejected.length + failed.length, outcome }
    },
  }
}

/**
 * The store refused a batch that validation let through (which should not happen): each event is
 * written on its own, and the ones the store still refuses are quarantined with its message.
 * A local failure (the spool's disk) is rethrown: it is ours, not the events', and CVAT retries.
 */
async function isolate(
  writer: Pick<EventWriter, 'write'>,
  records: readonly { record: EventRecord; position: number }[],
  entry: (position: number, message: string) => QuarantineEntry,
): Promise<{ outcome: WriteOutcome; failed: QuarantineEntry[] }> {
  const failed: QuarantineEntry[] = []
  let outcome: WriteOutcome = 'stored'
  for (const { record, position } of records) {
    try {
      if ((await writer.write([record])) === 'spooled') outcome = 'spooled'
    } catch (error) {
      if (isSystemError(error)) throw error
      failed.push(entry(position, `the store refused the event: ${(error as Error).message}`))
    }
  }
  return { outcome, failed }
}

/** An error of this machine (a file system call), as opposed to the store refusing data. */
function isSystemError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException | null)?.syscall === 'string'
}
