import type { Access } from '../auth/principal.js'
import { authorizeClientEvents } from '../auth/policy.js'
import { canSendServerEvents } from '../auth/principal.js'
import { forbidden } from '../errors.js'
import type { Metrics } from '../observability/metrics.js'
import { readClientBatch, type ClientBatchEcho } from './client-batch.js'
import type { FieldNames, Rejection } from './fields.js'
import type { Identity, RequestContext } from './request-context.js'
import { readServerEvents } from './server-events.js'
import type { EventWriter, WriteOutcome } from './writer.js'

export interface IngestLimits {
  readonly maxEvents: number
}

export interface ClientBatchOutcome {
  readonly ok: true
  readonly outcome: WriteOutcome
  /** Events written: the batch without heartbeats, plus computed working time. */
  readonly written: number
  /** CVAT's 201 body, the validated batch; null when the caller asked for a minimal answer. */
  readonly echo: ClientBatchEcho | null
}

export interface ServerEventsOutcome {
  readonly ok: true
  readonly outcome: WriteOutcome
  readonly written: number
}

export interface ClientBatchOptions {
  /** Build CVAT's echo of the batch. @default true */
  readonly echo?: boolean
  /** How the batch names its fields (GraphQL's camelCase input). @default CVAT's wire names */
  readonly names?: FieldNames
}

/**
 * Ingest as the transports see it (REST, GraphQL's logEvents; the CVAT-logger listener has its own,
 * logger-ingest.ts, which never refuses a batch):
 * permission (FORBIDDEN is thrown), validation (a Rejection is returned, nothing of the batch
 * written), then one durable write. The transport turns outcomes into statuses.
 */
export interface Ingest {
  clientBatch(
    body: unknown,
    access: Access,
    request: RequestContext,
    options?: ClientBatchOptions,
  ): Promise<ClientBatchOutcome | Rejection>
  /** Full event rows from the host application (`POST /api/events/server`), with an ingest token. */
  serverEvents(
    items: readonly unknown[],
    access: Access,
    request: RequestContext,
  ): Promise<ServerEventsOutcome | Rejection>
}

/** Counts of what ingest accepted and refused, by kind of event. */
export type IngestCounters = Pick<Metrics, 'eventsAccepted' | 'eventsRejected'>

export function createIngest(writer: EventWriter, limits: IngestLimits, metrics?: IngestCounters): Ingest {
  const count = (kind: 'client' | 'server', result: { ok: boolean }, events: number) =>
    (result.ok ? metrics?.eventsAccepted : metrics?.eventsRejected)?.inc({ path: kind }, events)
  return {
    async clientBatch(body, access, request, options = {}) {
      authorizeClientEvents(access)
      const result = readClientBatch(body, identityOf(access), request, {
        ...limits,
        echo: options.echo ?? true,
        ...(options.names ? { names: options.names } : {}),
      })
      if (!result.ok) {
        count('client', result, eventsIn(body))
        return result
      }
      const outcome = await writer.write(result.batch.records)
      count('client', result, result.batch.records.length)
      return { ok: true, outcome, written: result.batch.records.length, echo: result.batch.echo }
    },

    async serverEvents(items, access, request) {
      if (!canSendServerEvents(access.principal)) {
        throw forbidden('server events need an ingest token (or an admin)')
      }
      const result = readServerEvents(items, request, limits)
      if (!result.ok) {
        count('server', result, items.length)
        return result
      }
      const outcome = await writer.write(result.records)
      count('server', result, result.records.length)
      return { ok: true, outcome, written: result.records.length }
    },
  }
}

/** The identity client events are stamped with: the principal's, never the body's. */
export function identityOf(access: Access): Identity {
  const { user } = access.principal
  return {
    userId: user.id,
    userName: user.username,
    userEmail: user.email || null,
    orgId: access.org?.id ?? null,
    orgSlug: access.org?.slug ?? null,
  }
}

/** How many events a refused client batch held, for the counters (0 when it held no list). */
function eventsIn(body: unknown): number {
  const events = body !== null && typeof body === 'object' ? (body as { events?: unknown }).events : undefined
  return Array.isArray(events) ? events.length : 0
}
