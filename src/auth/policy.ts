import { forbidden } from '../errors.js'
import type { AuthorizedFilter, EventFilter, Visibility } from '../domain/filter.js'
import { cvatInputOf, cvatMay, cvatVisibility } from './cvat/rules.js'
import { canRead, canSendClientEvents, readRefusal, type Access } from './principal.js'

/**
 * Who may see which events (CVAT's export policy, docs/cvat-compatibility.md#who-sees-what), for
 * every read: GraphQL fields and aggregations, exports, subscriptions, dashboards. Principals from
 * the accounts file:
 *
 * | caller                          | sees                  |
 * | admin, no organization          | everything            |
 * | admin in an organization        | that organization's   |
 * | anyone else, no organization    | its own events        |
 * | owner or maintainer of the org  | the organization's    |
 * | supervisor or worker of the org | its own in that org   |
 *
 * Principals from CVAT get CVAT's own rules (cvatVisibility, docs/identity.md#cvats-rules-for-events):
 * the same table, except that a user without a global role sees nothing (FORBIDDEN) and a global
 * `worker` sees only its own events even as an organization's owner or maintainer.
 */
export function visibility(access: Access): Visibility {
  const cvat = cvatInputOf(access)
  if (cvat) {
    const seen = cvatVisibility(cvat)
    if (seen) return seen
    const decision = cvatMay('view', cvat)
    throw forbidden(decision.allowed ? 'CVAT does not let you view events' : decision.reason)
  }
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
  if (!canRead(access.principal)) throw forbidden(readRefusal(access.principal, 'events'))
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

/**
 * Everything authorize() reads of an Access, as a text: two accesses with the same text get the
 * same authorized filter for every filter, and the same refusals (their messages aside). The
 * response cache keys answers computed only through authorize() with it, so that callers with
 * the same rights (an organization's owners and maintainers and admins in it, admins outside
 * any) share them and no one ever gets an answer computed for a wider or narrower view.
 * Null when the caller may not view events at all (the answer is then an error, never shared).
 */
export function policyInputs(access: Access): string | null {
  let seen: Visibility
  try {
    seen = visibility(access)
  } catch {
    return null
  }
  const outsideOrg = !access.org && access.principal.user.role !== 'admin'
  return JSON.stringify([
    canRead(access.principal),
    seen.orgId ?? null,
    seen.userId ?? null,
    seen.userName ?? null,
    outsideOrg ? [...(access.memberOrgIds ?? [])].sort() : null,
  ])
}

/**
 * Whether the caller may send client events (`POST /api/events`, `logEvents`): users may, API
 * tokens may not (docs/cvat-compatibility.md#who-sees-what); for CVAT principals, CVAT's rule
 * (anyone but a personal access token). FORBIDDEN (403) otherwise.
 */
export function authorizeClientEvents(access: Access): void {
  const cvat = cvatInputOf(access)
  if (cvat) {
    const decision = cvatMay('send', cvat)
    if (!decision.allowed) throw forbidden(decision.reason)
    return
  }
  if (!canSendClientEvents(access.principal)) {
    throw forbidden('API tokens may not send client events; sign in as the user (basic auth)')
  }
}
