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

/**
 * The per-principal limits every transport applies (RATE_LIMIT_*). Exports are limited by the
 * export service.
 *
 * What they protect against: one principal taking the service from everyone else, such as a
 * script in a retry loop, a runaway page, or a leaked credential. They bound how often one
 * principal makes the service do per-request work (authenticate, parse, validate, wait for a
 * group commit, plan a query) and how much long-lived state it holds (subscriptions, exports).
 * They are fairness limits, not capacity: the events one request carries are bounded by
 * MAX_BODY_BYTES and MAX_BATCH_EVENTS, and ingest as a whole by the writer's backpressure.
 *
 * A person's budget is shared by all of that user's credentials (password, read token). An
 * ingest token stands for a host application (CVAT's server, a relay) that sends every user's
 * events, so each ingest token has a budget of its own (RATE_LIMIT_INGEST_TOKEN) and spends
 * nothing of its owner's. Its default is sized for a busy CVAT, which sends all its events,
 * its browsers' included, through its server's logger (python-logstash-async's HttpTransport):
 * - a CVAT page sends a client batch every 90 s, ~15 events (up to ~50 for a fast annotator),
 *   and its saves cause a few server events: 0.2 to 0.6 events a second per annotator at work;
 * - each CVAT process posts its queue at most every 2 s, in requests of at most 50 events;
 * - 2,000 annotators at work, over 16 processes (server and RQ workers): 400 to 1,200 events a
 *   second, 8 to 24 full requests a second plus up to 8 partial ones: ~30 requests a second,
 *   ~1,800 a minute, more than a user's RATE_LIMIT_INGEST (1,200). The default, 12,000 a minute
 *   (200 a second, ~10,000 events a second in CVAT's batches: about what two cores store), is
 *   six times that.
 */
export interface RateLimits {
  /**
   * Ingest requests: POST /api/events, POST /api/events/server; per user (RATE_LIMIT_INGEST),
   * per ingest token (RATE_LIMIT_INGEST_TOKEN).
   */
  readonly ingest: RequestRate
  /** GraphQL operations (queries, mutations, subscriptions as they start). */
  readonly graphql: RequestRate
  readonly subscriptions: SubscriptionSlots
}

export interface RateLimitOptions {
  /** RATE_LIMIT_INGEST: per user; 0: no limit. */
  readonly ingestPerMinute: number
  /** RATE_LIMIT_INGEST_TOKEN: per ingest token; 0: no limit. */
  readonly ingestTokenPerMinute: number
  /** RATE_LIMIT_GRAPHQL; 0: no limit. */
  readonly graphqlPerMinute: number
  /** RATE_LIMIT_SUBSCRIPTIONS. */
  readonly subscriptions: number
}

/** Whose budget a request spends: the user's, whichever credential (password or token) it used. */
export function principalKey(access: Access): string {
  return `user:${access.principal.user.id}`
}

/** Whose budget an ingest request spends: its ingest token's, or else its user's. */
export function ingestKey(access: Access): string {
  const { token } = access.principal
  return token?.kind === 'ingest' ? `ingest-token:${token.id}` : principalKey(access)
}

export function createRateLimits(options: RateLimitOptions): RateLimits {
  const byUser = perMinute(options.ingestPerMinute, 'ingest requests', 'user')
  const byToken = perMinute(options.ingestTokenPerMinute, 'ingest requests', 'ingest token', ingestKey)
  return {
    ingest: {
      consume: (access) =>
        access.principal.token?.kind === 'ingest' ? byToken.consume(access) : byUser.consume(access),
    },
    graphql: perMinute(options.graphqlPerMinute, 'GraphQL operations', 'user'),
    subscriptions: slots(options.subscriptions),
  }
}

function perMinute(
  points: number,
  what: string,
  whose: string,
  keyOf: (access: Access) => string = principalKey,
): RequestRate {
  if (points === 0) return { consume: () => Promise.resolve() }
  const limiter = new RateLimiterMemory({ keyPrefix: `${what} per ${whose}`, points, duration: 60 })
  return {
    async consume(access) {
      try {
        await limiter.consume(keyOf(access))
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error
        throw tooManyRequests(
          `more than ${points} ${what} a minute from this ${whose}; slow down`,
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
