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
 * errors, so they show in the Monitoring dashboard and the live exception stream.
 */
export type FaultReporter = (error: unknown, place: FaultPlace) => void

export function createFaultReporter(
  log: Logger,
  writer: Pick<EventWriter, 'write'>,
  metrics?: Pick<Metrics, 'internalErrors'>,
): FaultReporter {
  return (error, place) => {
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
