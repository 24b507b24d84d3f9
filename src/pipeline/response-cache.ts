import { createHash } from 'node:crypto'
import { createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache'
import type { Plugin } from 'graphql-yoga'
import type { Authenticator } from '../auth/access.js'
import { accessOf } from '../context.js'
import { requestInfoOf } from '../transports/request-info.js'

export interface ResponseCacheOptions {
  readonly auth: Authenticator
  /** RESPONSE_CACHE_TTL_MS; 0 turns the cache off. */
  readonly ttlMs: number
  /** Most answers kept, least recently used dropped first. @default 1000 */
  readonly maxEntries?: number
}

/**
 * A short-lived cache of query answers, so a dashboard refreshed every few seconds by many
 * viewers costs one computation per viewer and TTL, not one per refresh (yoga's response cache).
 *
 * The key is the operation (document and variables) and the principal: the user, its role, the
 * token it used (answers such as `viewer` differ by token), where its identity came from (the
 * accounts file or CVAT, and how it signed in to CVAT) and the organization it works in with its
 * role there. The principal is authenticated before the cache is looked up, so an answer is
 * only ever served to the principal it was computed for, and a request whose credentials fail
 * never reaches the cache. Mutations are never cached (the plugin only caches queries), nor are
 * answers with errors, nor export statuses (they change while the caller polls). Within the TTL
 * an answer may miss events stored meanwhile, and a role change takes effect after it.
 */
export function useGraphQLResponseCache(options: ResponseCacheOptions): Plugin {
  // Off: no plugin at all (the plugin would still key every request).
  if (options.ttlMs <= 0) return {}
  return useResponseCache({
    enabled: () => options.ttlMs > 0,
    ttl: options.ttlMs,
    cache: createInMemoryCache({ max: options.maxEntries ?? 1000 }),
    // Alert rules change by mutations a list cached before would not show.
    ttlPerSchemaCoordinate: { 'Query.export': 0, Export: 0, AlertRule: 0 },
    // The answer itself: cache hits add nothing to it.
    includeExtensionMetadata: false,
    // Node's own hash: the plugin's default (WebCrypto, asynchronous) was a fifth of a cache hit's
    // CPU time (bench/cache.ts).
    buildResponseCacheKey: ({ documentString, operationName, variableValues, sessionId }) => {
      let text: string
      try {
        text = JSON.stringify([documentString, operationName ?? null, variableValues ?? null, sessionId])
      } catch {
        // Variables too deep to serialize (a hostile payload): a key no other request has.
        return crypto.randomUUID()
      }
      return createHash('sha256').update(text).digest('hex')
    },
    session: async (request) => {
      try {
        const access = await accessOf(options.auth, requestInfoOf(request))
        const { user, token, source } = access.principal
        // Where the identity came from and, for CVAT, how the caller signed in: answers (viewer,
        // and the rules, which differ by source) differ by them for one user id.
        const cvat = source.kind === 'cvat' ? [source.identity.credential, source.identity.isSuperuser] : null
        return JSON.stringify([
          user.id,
          user.role,
          token?.id ?? null,
          source.kind,
          cvat,
          access.org?.id ?? null,
          access.orgRole,
        ])
      } catch {
        // Not authenticated: a key no other request has, so nothing is served from the cache;
        // the operation then fails in the context as it would without a cache.
        return `unauthenticated:${crypto.randomUUID()}`
      }
    },
  })
}
