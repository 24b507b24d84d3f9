/**
 * The one filter every read takes (GraphQL queries and aggregations, exports, subscriptions,
 * dashboards). Ids are decimal strings (UInt64), times epoch milliseconds; an absent or empty list
 * means "no constraint" (what a dashboard's "All" sends), and both time bounds are inclusive.
 */
export interface EventFilter {
  readonly from?: number
  readonly to?: number
  readonly orgIds?: readonly string[]
  readonly projectIds?: readonly string[]
  readonly taskIds?: readonly string[]
  readonly jobIds?: readonly string[]
  readonly userIds?: readonly string[]
  readonly userNames?: readonly string[]
  readonly scopes?: readonly string[]
  readonly sources?: readonly string[]
  readonly objNames?: readonly string[]
  /** Exception groups (ids of `exceptionGroups`): only `send:exception` events of these groups. */
  readonly exceptionGroups?: readonly string[]
  /** Request ids (`payload.request.id`): the events one request caused, across sources. */
  readonly requestIds?: readonly string[]
  /** true: only events with a job; false: only events without one. */
  readonly hasJob?: boolean
}

/** The constraints a caller cannot lift: an organization, a user, or neither (admins outside orgs). */
export interface Visibility {
  readonly orgId?: string
  readonly userId?: string
  readonly userName?: string
}

declare const authorized: unique symbol

/**
 * A filter that has passed the access policy (`authorize` in src/auth/policy.ts, the only code
 * that creates one): it already carries the constraints the caller may not lift. Store reads take
 * only this type, so no read can skip the policy.
 */
export type AuthorizedFilter = EventFilter & { readonly [authorized]: true }

/** A closed time range in epoch milliseconds: every aggregation has one. */
export interface TimeRange {
  readonly from: number
  readonly to: number
}

/**
 * Narrows an authorized filter to the given scopes (an aggregation over exceptions, working
 * time…). Narrowing never widens what the policy allowed, so the result stays authorized; scopes
 * the caller already chose are intersected, so the answer may be empty, never wider.
 */
export function withScopes(filter: AuthorizedFilter, scopes: readonly string[]): AuthorizedFilter {
  const chosen =
    filter.scopes && filter.scopes.length > 0 ? scopes.filter((s) => filter.scopes?.includes(s)) : scopes
  return { ...filter, scopes: chosen.length > 0 ? chosen : [NO_SCOPE] }
}

/** A scope no event has: an intersection that came out empty must match nothing, not everything. */
const NO_SCOPE = '\u0000none'
