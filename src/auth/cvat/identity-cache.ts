import { randomBytes } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import { silentLogger, type Logger } from '../../observability/logger.js'
import type { CvatClient } from './client.js'
import type { CvatCredential } from './credential.js'
import { CvatUnauthenticatedError, CvatUnavailableError, type CvatUnavailableReason } from './errors.js'
import type { CvatIdentity } from './identity.js'
import { lookUpIdentity } from './identity.js'

export interface CvatResolverOptions {
  readonly client: CvatClient
  /** `CVAT_AUTH_TTL_S`: how long CVAT's answer about a credential is trusted without asking again. */
  readonly ttlMs: number
  /** `CVAT_AUTH_FAILURE_TTL_S`: how long CVAT's 401 for a credential is remembered. */
  readonly failureTtlMs: number
  /** `CVAT_AUTH_GRACE_S`: how long past its TTL a cached identity still serves while CVAT fails. */
  readonly graceMs: number
  /** `CVAT_AUTH_CACHE_SIZE`: most identities kept (least recently used go first); as many refusals. */
  readonly maxEntries: number
  readonly log?: Logger
  /** The clock, in epoch milliseconds; tests move it. @default Date.now */
  readonly now?: () => number
}

/** What the resolver says about a credential; transports turn it into 200, 401 or 503. */
export type CvatResolution =
  | {
      readonly kind: 'authenticated'
      readonly identity: CvatIdentity
      /** `cvat`: asked just now; `cache`: within the TTL; `grace`: past it, served because CVAT is failing. */
      readonly from: 'cvat' | 'cache' | 'grace'
      /** When CVAT last vouched for this credential. */
      readonly confirmedAtMs: number
      /** Until when the identity is trusted without asking CVAT; a live subscription re-checks then. */
      readonly freshUntilMs: number
    }
  /** CVAT answered 401: our 401, with CVAT's `detail` (which never repeats the credential). */
  | { readonly kind: 'unauthenticated'; readonly detail: string }
  /** CVAT could not be asked and nothing usable is cached: 503 with Retry-After, never 401. */
  | { readonly kind: 'unavailable'; readonly reason: CvatUnavailableReason; readonly retryAfterS: number }

export interface CvatIdentityResolver {
  /** Who the credential belongs to, from the cache or from CVAT. Never throws. */
  resolve(credential: CvatCredential): Promise<CvatResolution>
  /** Counters since start, as plain numbers (for `/metrics`). */
  stats(): CvatIdentityStats
}

/**
 * After CVAT fails, for this long callers whose identity is still within its grace are served from
 * the cache without asking again (a slow CVAT would otherwise cost each of them a full timeout);
 * it is also the Retry-After given to callers who get "unavailable".
 */
export const OUTAGE_HOLD_MS = 5_000

interface KnownIdentity {
  readonly identity: CvatIdentity
  readonly confirmedAtMs: number
  readonly freshUntilMs: number
  readonly usableUntilMs: number
}

/**
 * Resolves CVAT credentials to identities, in front of CVAT:
 * - answers are cached under a keyed digest of the credential (never the credential) for the TTL,
 *   in a bounded LRU; 401s in a second LRU for a short while, so a flood of one bad password does
 *   not become a flood against CVAT, and a flood of many cannot push good entries out;
 * - concurrent look-ups of one credential share one round of requests to CVAT;
 * - when CVAT is unreachable, slow or failing, an identity it confirmed within TTL + grace keeps
 *   working; a caller without one gets `unavailable`. CVAT's 401 drops the cached identity at once.
 */
export function createCvatIdentityResolver(options: CvatResolverOptions): CvatIdentityResolver {
  const now = options.now ?? Date.now
  const log = options.log ?? silentLogger
  const digestKey = randomBytes(32)
  const identities = new LRUCache<string, KnownIdentity>({ max: options.maxEntries })
  const refusals = new LRUCache<string, { readonly detail: string; readonly untilMs: number }>({
    max: options.maxEntries,
  })
  const inFlight = new Map<string, Promise<CvatResolution>>()
  const counters = emptyStats()
  let outageUntilMs = 0

  const authenticated = (known: KnownIdentity, from: 'cvat' | 'cache' | 'grace'): CvatResolution => ({
    kind: 'authenticated',
    identity: known.identity,
    from,
    confirmedAtMs: known.confirmedAtMs,
    freshUntilMs: known.freshUntilMs,
  })

  async function askCvat(key: string, credential: CvatCredential): Promise<CvatResolution> {
    counters.cvatLookups++
    try {
      const identity = await lookUpIdentity(options.client, credential)
      const at = now()
      const known = {
        identity,
        confirmedAtMs: at,
        freshUntilMs: at + options.ttlMs,
        usableUntilMs: at + options.ttlMs + options.graceMs,
      }
      identities.set(key, known)
      refusals.delete(key)
      outageUntilMs = 0
      return authenticated(known, 'cvat')
    } catch (error) {
      const at = now()
      if (error instanceof CvatUnauthenticatedError) {
        counters.cvatRejections++
        identities.delete(key)
        refusals.set(key, { detail: error.detail, untilMs: at + options.failureTtlMs })
        return { kind: 'unauthenticated', detail: error.detail }
      }
      counters.cvatFailures++
      outageUntilMs = at + OUTAGE_HOLD_MS
      const reason = error instanceof CvatUnavailableError ? error.reason : 'bad-response'
      // The credential is never logged; the kind says enough to tell a browser from a script.
      log.warn('CVAT could not say who a caller is', { reason, credential: credential.kind, error })
      const known = identities.get(key)
      if (known && at < known.usableUntilMs) {
        counters.graceHits++
        return authenticated(known, 'grace')
      }
      counters.unavailable++
      return { kind: 'unavailable', reason, retryAfterS: Math.ceil(OUTAGE_HOLD_MS / 1000) }
    }
  }

  return {
    resolve(credential) {
      counters.lookups++
      const key = credential.digest(digestKey)
      const at = now()
      const known = identities.get(key)
      if (known && at < known.freshUntilMs) {
        counters.cacheHits++
        return Promise.resolve(authenticated(known, 'cache'))
      }
      const refused = refusals.get(key)
      if (refused && at < refused.untilMs) {
        counters.cacheHits++
        return Promise.resolve({ kind: 'unauthenticated', detail: refused.detail })
      }
      if (known && at < known.usableUntilMs && at < outageUntilMs) {
        counters.graceHits++
        return Promise.resolve(authenticated(known, 'grace'))
      }
      const pending = inFlight.get(key)
      if (pending) {
        counters.sharedLookups++
        return pending
      }
      const asking = askCvat(key, credential).finally(() => inFlight.delete(key))
      inFlight.set(key, asking)
      return asking
    },

    stats() {
      return { ...counters, cachedIdentities: identities.size }
    },
  }
}

/**
 * Counters of the CVAT identity resolver since start, as plain numbers: the metrics work exposes
 * them (`/metrics`) without this module knowing about Prometheus.
 */
export interface CvatIdentityStats {
  /** Credentials resolved (every call of `resolve`). */
  lookups: number
  /** Answered from the cache within the TTL: identities and remembered 401s. */
  cacheHits: number
  /** Identities served past their TTL because CVAT was failing (the grace period). */
  graceHits: number
  /** Look-ups that joined one already asking CVAT for the same credential. */
  sharedLookups: number
  /** Rounds of requests to CVAT (self, memberships, organizations) for one credential. */
  cvatLookups: number
  /** Of those, answered 401 by CVAT. */
  cvatRejections: number
  /** Of those, failed: CVAT unreachable, too slow, 5xx or unreadable. */
  cvatFailures: number
  /** Callers told "CVAT unavailable" (no cached identity to fall back on). */
  unavailable: number
  /** Identities in the cache now. */
  cachedIdentities: number
}

export function emptyStats(): CvatIdentityStats {
  return {
    lookups: 0,
    cacheHits: 0,
    graceHits: 0,
    sharedLookups: 0,
    cvatLookups: 0,
    cvatRejections: 0,
    cvatFailures: 0,
    unavailable: 0,
    cachedIdentities: 0,
  }
}
