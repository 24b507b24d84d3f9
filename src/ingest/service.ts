import type { Access } from '../auth/principal.js'
import { canSendClientEvents, canSendServerEvents } from '../auth/principal.js'
import { forbidden } from '../errors.js'
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
 * Ingest as the transports see it (REST, GraphQL's logEvents, the CVAT-logger listener):
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
  /** `access` is null for the CVAT-logger listener, which trusts its (loopback) network instead. */
  serverEvents(
    items: readonly unknown[],
    access: Access | null,
    request: RequestContext,
  ): Promise<ServerEventsOutcome | Rejection>
}

export function createIngest(writer: EventWriter, limits: IngestLimits): Ingest {
  return {
    async clientBatch(body, access, request, options = {}) {
      if (!canSendClientEvents(access.principal)) {
        throw forbidden('API tokens may not send client events; sign in as the user (basic auth)')
      }
      const result = readClientBatch(body, identityOf(access), request, {
        ...limits,
        echo: options.echo ?? true,
        ...(options.names ? { names: options.names } : {}),
      })
      if (!result.ok) return result
      const outcome = await writer.write(result.batch.records)
      return { ok: true, outcome, written: result.batch.records.length, echo: result.batch.echo }
    },

    async serverEvents(items, access, request) {
      if (access && !canSendServerEvents(access.principal)) {
        throw forbidden('server events need an ingest token (or an admin)')
      }
      const result = readServerEvents(items, request, limits)
      if (!result.ok) return result
      const outcome = await writer.write(result.records)
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
