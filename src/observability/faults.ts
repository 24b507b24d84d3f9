import type { EventRecord } from '../domain/event.js'
import { emptyRecord } from '../ingest/records.js'
import { EXCEPTION_SCOPE } from '../domain/scopes.js'
import type { EventWriter } from '../ingest/writer.js'
import type { Logger } from './logger.js'
import type { Metrics } from './metrics.js'

/** Where an unexpected error happened: the request it broke and the code path. */
export interface FaultPlace {
  readonly requestId?: string
  /** `graphql`, a REST path, `cvat-logger`, … */
  readonly where: string
  readonly operation?: string
}

/**
 * Handles the service's own unexpected errors: logged at `error`, counted, and stored as a
 * `send:exception` server event (message, stack, request id), as CVAT records its server's
 * errors, so they show in the Monitoring dashboard and the live exception stream. Each error is
 * reported once, however many layers it passes through on its way out (see wasReported).
 */
export type FaultReporter = (error: unknown, place: FaultPlace) => void

const reported = new WeakSet<object>()

/**
 * Whether `error`, or an error it wraps (`originalError`, `cause`), was reported already: a later
 * layer that meets it again (yoga's error mask, the HTTP safety net) leaves it alone.
 */
export function wasReported(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth += 1) {
    if (reported.has(current)) return true
    const wrapper = current as { originalError?: unknown; cause?: unknown }
    current = wrapper.originalError ?? wrapper.cause
  }
  return false
}

export function createFaultReporter(
  log: Logger,
  writer: Pick<EventWriter, 'write'>,
  metrics?: Pick<Metrics, 'internalErrors'>,
): FaultReporter {
  return (error, place) => {
    if (wasReported(error)) return
    if (error !== null && typeof error === 'object') reported.add(error)
    log.error('unexpected error', { ...place, error })
    metrics?.internalErrors.inc()
    // Never let the report of a fault become one: a failed write is logged and dropped.
    writer.write([faultEvent(error, place)]).catch((writeError: unknown) => {
      log.error('could not store an unexpected error as an event', { error: writeError })
    })
  }
}

function faultEvent(error: unknown, place: FaultPlace): EventRecord {
  const cause = error instanceof Error ? error : new Error(String(error))
  const payload = {
    message: `${cause.name}: ${cause.message}`,
    stack: cause.stack ?? null,
    where: place.where,
    ...(place.operation ? { operation: place.operation } : {}),
    ...(place.requestId ? { request: { id: place.requestId } } : {}),
  }
  return {
    ...emptyRecord(Date.now()),
    scope: EXCEPTION_SCOPE,
    source: 'server',
    payload: JSON.stringify(payload),
  }
}
