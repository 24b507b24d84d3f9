import { createHmac, randomBytes } from 'node:crypto'
import { LRUCache } from 'lru-cache'
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible'
import { tooManyRequests } from '../errors.js'
import type { Authenticator } from './access.js'
import type { Credentials } from './credentials.js'

/** How many failed sign-ins are allowed before further attempts are refused for a while. */
export interface FailureLimits {
  /** AUTH_FAILURES_PER_USER: failures for one username (basic auth) within the window. */
  readonly perUser: number
  /** AUTH_FAILURES_PER_ADDR: failures from one client address within the window. */
  readonly perAddress: number
  /** AUTH_FAILURE_WINDOW_S: the window; a refused caller may try again when it ends. */
  readonly windowS: number
}

/**
 * Limits guessing: an Authenticator (any: the accounts file, CVAT, a chain of them) wrapped so
 * that once a client address or a username has failed `perAddress` / `perUser` times within the
 * window, further attempts are refused with 429 and `Retry-After` without being checked. A
 * credential that succeeded recently is let through a username's limit, so someone guessing at a
 * user's password does not lock out that user's dashboards. Only wrong credentials count: a
 * request without any, or refused an organization, is not a guess.
 */
export function limitingFailures(inner: Authenticator, limits: FailureLimits): Authenticator {
  const byUser = new RateLimiterMemory({
    keyPrefix: 'user',
    points: limits.perUser,
    duration: limits.windowS,
  })
  const byAddress = new RateLimiterMemory({
    keyPrefix: 'address',
    points: limits.perAddress,
    duration: limits.windowS,
  })
  // Keyed by an HMAC under a key of this process, so the cache holds nothing a password can be tested against.
  const key = randomBytes(32)
  const digest = (authorization: string) =>
    createHmac('sha256', key).update(authorization).digest('base64url')
  const succeeded = new LRUCache<string, true>({ max: 10_000, ttl: limits.windowS * 1000 })

  return {
    async access(credentials) {
      const { authorization } = credentials
      if (!authorization) return inner.access(credentials)
      const address = credentials.clientAddress ?? 'unknown'
      const username = basicUsername(authorization)
      const signature = digest(authorization)
      const known = succeeded.has(signature)
      const wait =
        (await blockedMs(byAddress, address, limits.perAddress)) ??
        (username === null || known ? undefined : await blockedMs(byUser, username, limits.perUser))
      if (wait !== undefined) {
        throw tooManyRequests('too many failed sign-ins; try again later', Math.ceil(wait / 1000))
      }
      try {
        const access = await inner.access(credentials)
        succeeded.set(signature, true)
        return access
      } catch (error) {
        if ((error as { code?: unknown }).code === 'UNAUTHENTICATED') {
          await Promise.all([
            consume(byAddress, address),
            ...(username === null ? [] : [consume(byUser, username)]),
          ])
        }
        throw error
      }
    },
  }
}

/** How long `key` must still wait, when it has used up its failures; undefined when it may try. */
async function blockedMs(
  limiter: RateLimiterMemory,
  key: string,
  points: number,
): Promise<number | undefined> {
  const state = await limiter.get(key)
  return state !== null && state.consumedPoints >= points ? Math.max(1, state.msBeforeNext) : undefined
}

/** Counts a failure (a limiter rejects the point past its last: that is the block, not an error). */
async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
  await limiter.consume(key).catch((_blocked: RateLimiterRes) => undefined)
}

/** The username of a basic-auth header; null for other schemes or a malformed header. */
export function basicUsername(authorization: Credentials['authorization']): string | null {
  if (!authorization || !/^basic /i.test(authorization)) return null
  const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? null : decoded.slice(0, colon)
}
