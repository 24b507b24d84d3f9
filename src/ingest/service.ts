import type { Access } from '../auth/principal.js'
import { canSendClientEvents, canSendServerEvents } from '../auth/principal.js'
import { AppError, forbidden } from '../errors.js'
import { readClientBatch, type ClientBatchEcho } from './client-batch.js'
import type { FieldError } from './fields.js'
import type { Identity, RequestContext } from './request-context.js'
import { readServerEvents } from './server-events.js'
import type { EventWriter, WriteOutcome } from './writer.js'

export interface IngestLimits {
  readonly maxEvents: number
}

export interface ClientBatchOutcome {
  readonly outcome: WriteOutcome
  /** Events written: the batch without heartbeats, plus computed working time. */
  readonly written: number
  /** CVAT's 201 body, the validated batch; null when the caller asked for a minimal answer. */
  readonly echo: ClientBatchEcho | null
}

export interface ServerEventsOutcome {
  readonly outcome: WriteOutcome
  readonly written: number
}

/**
 * Ingest as the transports see it (REST, GraphQL's logEvents, the CVAT-logger listener):
 * permission, validation, then one durable write. Nothing of an invalid batch is written.
 */
export interface Ingest {
  clientBatch(
    body: unknown,
    access: Access,
    request: RequestContext,
    options?: { echo: boolean },
  ): Promise<ClientBatchOutcome>
  /** `access` is null for the CVAT-logger listener, which trusts its (loopback) network instead. */
  serverEvents(
    items: readonly unknown[],
    access: Access | null,
    request: RequestContext,
  ): Promise<ServerEventsOutcome>
}

export function createIngest(writer: EventWriter, limits: IngestLimits): Ingest {
  return {
    async clientBatch(body, access, request, options = { echo: true }) {
      if (!canSendClientEvents(access.principal)) {
        throw forbidden('API tokens may not send client events; sign in as the user (basic auth)')
      }
      const result = readClientBatch(body, identityOf(access), request, { ...limits, echo: options.echo })
      if (!result.ok) throw validationError(result.status, result.errors)
      const outcome = await writer.write(result.batch.records)
      return { outcome, written: result.batch.records.length, echo: result.batch.echo }
    },

    async serverEvents(items, access, request) {
      if (access && !canSendServerEvents(access.principal)) {
        throw forbidden('server events need an ingest token (or an admin)')
      }
      const result = readServerEvents(items, request, limits)
      if (!result.ok) throw validationError(result.status, result.errors)
      const outcome = await writer.write(result.records)
      return { outcome, written: result.records.length }
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

const MAX_LISTED_ERRORS = 100

/** A 400 (or 413) naming the first problem in its message and listing all of them. */
export function validationError(status: 400 | 413, errors: readonly FieldError[]): AppError {
  const [first] = errors
  const more =
    errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : ''
  const where = first?.index === undefined ? '' : `event ${first.index}: `
  const message = first ? `${where}${first.field} ${first.message}${more}` : 'invalid request'
  return new AppError(status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_USER_INPUT', status, message, {
    errors: errors.slice(0, MAX_LISTED_ERRORS),
  })
}
