import type { YogaInitialContext } from 'graphql-yoga'
import { resolveAccess } from './auth/access.js'
import type { Access } from './auth/principal.js'
import { requestIdOf } from './http/request-id.js'
import { clientAddressOf } from './http/client-address.js'
import type { RequestContext } from './ingest/request-context.js'
import type { Services } from './services.js'
import { createLoaders, type Loaders } from './loaders/index.js'

/**
 * What every resolver sees. Built per request by the one factory below, for HTTP and (later)
 * WebSocket alike; it holds no transport objects, only what the core needs.
 */
export interface Context {
  readonly services: Services
  readonly access: Access
  readonly requestId: string
  /** The request as ingest records it (logEvents). */
  readonly requestContext: RequestContext
  /** Batching loaders, fresh for this request. */
  readonly loaders: Loaders
  /** The request's notion of now, so every field of one answer agrees on it. */
  readonly nowMs: number
}

/** Authenticates the request (401/403 as coded errors) and assembles the context. */
export function createContextFactory(services: Services) {
  return async ({ request }: YogaInitialContext): Promise<Context> => {
    const url = new URL(request.url)
    const orgSlug = request.headers.get('x-organization') ?? url.searchParams.get('org')
    const access = await resolveAccess(
      services.directory,
      request.headers.get('authorization'),
      orgSlug,
      request.headers.get('x-grafana-user'),
    )
    const requestId = requestIdOf(request)
    return {
      services,
      access,
      requestId,
      loaders: createLoaders(services.store.engine),
      nowMs: Date.now(),
      requestContext: {
        requestId,
        userAgent: request.headers.get('user-agent'),
        remoteAddr: clientAddressOf(request),
        receivedAtMs: Date.now(),
      },
    }
  }
}
