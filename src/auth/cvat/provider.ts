import type { CvatConfig } from '../../config.js'
import type { Logger } from '../../observability/logger.js'
import { resolveCvatAccess, type CvatAccessOutcome } from './access.js'
import { createCvatClient } from './client.js'
import type { CvatCredential } from './credential.js'
import { createOrganizationFinder } from './organization.js'
import type { OrgSelector } from './organization.js'
import { createCvatIdentityResolver, type CvatResolution } from './identity-cache.js'
import type { CvatIdentityStats } from './identity-cache.js'

/** CVAT as the identity provider: what the request context needs from it. */
export interface CvatIdentityProvider {
  /**
   * Credential and org selector in; the Access, or why not (401, 403 or 503), out. Never throws.
   * `CvatCredential.fromHeaders` reads the credential, `readOrgSelector` the selector.
   */
  authenticate(credential: CvatCredential, selector: OrgSelector): Promise<CvatAccessOutcome>
  /** The identity alone, e.g. for a live subscription re-checking its credential after `freshUntilMs`. */
  resolve(credential: CvatCredential): Promise<CvatResolution>
  /** Look-ups, cache hits, CVAT failures and the rest, as plain numbers. */
  stats(): CvatIdentityStats
}

export interface CvatProviderOptions {
  readonly config: CvatConfig
  readonly log?: Logger
  /** The clock (epoch ms); tests move it. @default Date.now */
  readonly now?: () => number
  /** Rows per page when reading memberships. @default 100 */
  readonly pageSize?: number
}

/** Builds the provider from `config.cvat`; it holds no sockets and needs no stop. */
export function createCvatIdentityProvider(options: CvatProviderOptions): CvatIdentityProvider {
  const { config } = options
  const client = createCvatClient({
    baseUrl: config.url,
    timeoutMs: config.timeoutMs,
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  })
  const resolver = createCvatIdentityResolver({
    client,
    ttlMs: config.authTtlS * 1000,
    failureTtlMs: config.authFailureTtlS * 1000,
    graceMs: config.authGraceS * 1000,
    maxEntries: config.authCacheSize,
    ...(options.log ? { log: options.log } : {}),
    ...(options.now ? { now: options.now } : {}),
  })
  const finder = createOrganizationFinder({
    client,
    ttlMs: config.authTtlS * 1000,
    missTtlMs: config.authFailureTtlS * 1000,
    maxEntries: 1_000,
    ...(options.now ? { now: options.now } : {}),
  })
  return {
    authenticate: (credential, selector) => resolveCvatAccess({ resolver, finder }, credential, selector),
    resolve: (credential) => resolver.resolve(credential),
    stats: () => resolver.stats(),
  }
}
