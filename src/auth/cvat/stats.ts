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
