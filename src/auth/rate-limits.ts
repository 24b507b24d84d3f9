import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import type { Access } from './principal.js'
import { tooManyRequests } from '../errors.js'

/** A budget of requests per principal per minute. */
export interface RequestRate {
  /** Counts one request of the caller; 429 (`TOO_MANY_REQUESTS`, `Retry-After`) once its minute's budget is spent. */
  consume(access: Access): Promise<void>
}

/**
 * Live subscriptions one principal may hold at once. A transport acquires a slot when a
 * subscription starts (429 when the principal holds them all) and calls the release it got when
 * the subscription ends, however it ends; releasing twice is harmless.
 */
export interface SubscriptionSlots {
  acquire(access: Access): () => void
  /** Slots held by the caller now (for tests and metrics). */
  held(access: Access): number
}

/** The per-principal limits every transport applies (RATE_LIMIT_*). Exports are limited by the export service. */
export interface RateLimits {
  /** Ingest requests: POST /api/events, POST /api/events/server. */
  readonly ingest: RequestRate
  /** GraphQL operations (queries, mutations, subscriptions as they start). */
  readonly graphql: RequestRate
  readonly subscriptions: SubscriptionSlots
}

export interface RateLimitOptions {
  /** RATE_LIMIT_INGEST; 0: no limit. */
  readonly ingestPerMinute: number
  /** RATE_LIMIT_GRAPHQL; 0: no limit. */
  readonly graphqlPerMinute: number
  /** RATE_LIMIT_SUBSCRIPTIONS. */
  readonly subscriptions: number
}

/** Whose budget a request spends: the user's, whichever credential (password or token) it used. */
export function principalKey(access: Access): string {
  return `user:${access.principal.user.id}`
}

export function createRateLimits(options: RateLimitOptions): RateLimits {
  return {
    ingest: perMinute(options.ingestPerMinute, 'ingest requests'),
    graphql: perMinute(options.graphqlPerMinute, 'GraphQL operations'),
    subscriptions: slots(options.subscriptions),
  }
}

function perMinute(points: number, what: string): RequestRate {
  if (points === 0) return { consume: () => Promise.resolve() }
  const limiter = new RateLimiterMemory({ keyPrefix: what, points, duration: 60 })
  return {
    async consume(access) {
      try {
        await limiter.consume(principalKey(access))
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error
        throw tooManyRequests(
          `more than ${points} ${what} a minute from this user; slow down`,
          error.msBeforeNext / 1000,
        )
      }
    },
  }
}

function slots(max: number): SubscriptionSlots {
  const counts = new Map<string, number>()
  return {
    acquire(access) {
      const key = principalKey(access)
      const held = counts.get(key) ?? 0
      if (held >= max) {
        throw tooManyRequests(
          `at most ${max} live subscriptions per user; end one before starting another`,
          5,
        )
      }
      counts.set(key, held + 1)
      let released = false
      return () => {
        if (released) return
        released = true
        const now = (counts.get(key) ?? 1) - 1
        if (now <= 0) counts.delete(key)
        else counts.set(key, now)
      }
    },
    held: (access) => counts.get(principalKey(access)) ?? 0,
  }
}
