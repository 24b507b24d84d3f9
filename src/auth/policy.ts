import { forbidden } from '../errors.js'
import type { AuthorizedFilter, EventFilter } from '../domain/filter.js'
import { canRead, type Access } from './principal.js'

/** The constraints a caller cannot lift: an organization, a user, or neither (admins outside orgs). */
export interface Visibility {
  readonly orgId?: string
  readonly userId?: string
  readonly userName?: string
}

/**
 * Who may see which events (spec §7, CVAT's export policy), for every read: GraphQL fields and
 * aggregations, exports, subscriptions, dashboards.
 *
 * | caller                          | sees                  |
 * | admin, no organization          | everything            |
 * | admin in an organization        | that organization's   |
 * | anyone else, no organization    | its own events        |
 * | owner or maintainer of the org  | the organization's    |
 * | supervisor or worker of the org | its own in that org   |
 */
export function visibility(access: Access): Visibility {
  const { user } = access.principal
  const own = { userId: user.id, userName: user.username }
  if (!access.org) return user.role === 'admin' ? {} : own
  if (user.role === 'admin' || access.orgRole === 'owner' || access.orgRole === 'maintainer') {
    return { orgId: access.org.id }
  }
  return { orgId: access.org.id, ...own }
}

/**
 * The one policy function: checks a filter against what the caller may see and returns it with
 * the policy's constraints added. A filter naming an organization or user outside the caller's
 * view is refused with FORBIDDEN (403), never silently narrowed or widened.
 */
export function authorize(access: Access, filter: EventFilter = {}): AuthorizedFilter {
  if (!canRead(access.principal)) throw forbidden('ingest tokens may not read events; use a read token')
  const seen = visibility(access)
  if (!access.org && access.principal.user.role !== 'admin') {
    // Outside an organization a user sees its own events, in any organization it belongs to.
    const memberOf = new Set(access.memberOrgIds ?? [])
    const outside = filter.orgIds?.find((id) => !memberOf.has(id))
    if (outside !== undefined) {
      throw forbidden(`orgIds: you are not a member of organization ${outside}, or it does not exist`)
    }
  }
  if (seen.orgId !== undefined) {
    const outside = filter.orgIds?.find((id) => id !== seen.orgId)
    if (outside !== undefined) {
      throw forbidden(
        `orgIds: organization ${outside} is outside this request's organization '${access.org?.slug}'`,
      )
    }
  }
  if (seen.userId !== undefined) {
    const otherId = filter.userIds?.find((id) => id !== seen.userId)
    if (otherId !== undefined)
      throw forbidden(`userIds: you may only see your own events, and user ${otherId} is not you`)
    const otherName = filter.userNames?.find((name) => name !== seen.userName)
    if (otherName !== undefined) {
      throw forbidden(`userNames: you may only see your own events, and '${otherName}' is not you`)
    }
  }
  return {
    ...filter,
    ...(seen.orgId === undefined ? {} : { orgIds: [seen.orgId] }),
    ...(seen.userId === undefined ? {} : { userIds: [seen.userId] }),
  } as AuthorizedFilter
}
