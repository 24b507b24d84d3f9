import { ACCOUNTS_FILE } from '../auth/identity-source.js'
import { authorize, visibility } from '../auth/policy.js'
import { canRead, readRefusal, type Access, type Principal } from '../auth/principal.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import { forbidden } from '../errors.js'
import type { AlertRule } from './rule.js'

/**
 * Who may do what with alert rules, from the access policy's view of the caller (src/auth/policy.ts):
 *
 * | caller                                         | manages                          | reads                      |
 * | admin, no organization                         | every rule (and global ones)     | every rule                 |
 * | admin in an org, its owners and maintainers    | that organization's rules        | the same                   |
 * | anyone else (who sees only their own events)   | nothing                          | rules of their orgs whose  |
 * |                                                |                                  | filter names them alone    |
 *
 * A rule reports on every event its filter matches in its organization, so only those who see all
 * of them may read it; a rule narrowed to one user (its filter's users) concerns that user, who
 * would see those events anyway. Changes need the user's own sign-in: API tokens (read, grafana,
 * CVAT's personal access tokens) only read.
 */
export interface RuleScope {
  /** The organizations whose rules the caller manages: 'all' (admins outside organizations) or one. */
  readonly manages: 'all' | { readonly orgId: string } | null
  /** A caller who sees only their own events: their id and name, and their organizations. */
  readonly own: {
    readonly userId: string
    readonly userName: string
    readonly orgIds: readonly string[]
  } | null
}

/** The caller's reach over rules; FORBIDDEN for principals that may not read at all (ingest tokens). */
export function ruleScope(access: Access): RuleScope {
  if (!canRead(access.principal)) throw forbidden(readRefusal(access.principal, 'alert rules'))
  const seen = visibility(access)
  if (seen.userId === undefined) {
    return { manages: seen.orgId === undefined ? 'all' : { orgId: seen.orgId }, own: null }
  }
  const orgIds = access.org ? [access.org.id] : [...(access.memberOrgIds ?? [])]
  return { manages: null, own: { userId: seen.userId, userName: seen.userName ?? '', orgIds } }
}

/** Whether the caller manages the rules of `orgId` (null: the rules over every organization). */
export function managesOrg(scope: RuleScope, orgId: string | null): boolean {
  if (scope.manages === 'all') return true
  return scope.manages !== null && orgId !== null && scope.manages.orgId === orgId
}

/** Whether the caller may read a rule (see the table above). */
export function mayRead(scope: RuleScope, rule: AlertRule): boolean {
  if (managesOrg(scope, rule.orgId)) return true
  const own = scope.own
  if (!own || rule.orgId === null || !own.orgIds.includes(rule.orgId)) return false
  const { userIds, userNames } = rule.filter
  const byId = userIds !== undefined && userIds.length > 0 && userIds.every((id) => id === own.userId)
  const byName = userNames !== undefined && userNames.length > 0 && userNames.every((n) => n === own.userName)
  return byId || byName
}

/**
 * FORBIDDEN unless the caller, signed in as themselves, manages the rules of `orgId`. The message
 * says what would let them.
 */
export function assertManages(access: Access, orgId: string | null): RuleScope {
  if (access.principal.token !== null) {
    throw forbidden('API tokens may not change alert rules; sign in as the user')
  }
  const scope = ruleScope(access)
  if (managesOrg(scope, orgId)) return scope
  if (orgId === null) {
    throw forbidden('orgId: only admins, outside any organization, manage the rules over every organization')
  }
  if (scope.manages !== null && scope.manages !== 'all') {
    throw forbidden(
      `orgId: organization ${orgId} is outside this request's organization '${access.org?.slug}'`,
    )
  }
  throw forbidden(
    "only admins and the organization's owners and maintainers manage its alert rules, working in it (X-Organization)",
  )
}

/** Who evaluates rules: an admin of the rule's organization (or of all, for a global rule). */
const EVALUATOR: Principal = {
  user: { id: '0', username: 'alert-evaluator', email: null, role: 'admin' },
  token: null,
  source: ACCOUNTS_FILE,
}

/**
 * The rule's filter as the policy authorizes it for the rule's organization: the events an owner
 * of that organization would see (every organization's, for a global rule). Rules are checked
 * against their creator's view when saved; this is what they read at every evaluation.
 */
export function ruleFilter(rule: AlertRule): AuthorizedFilter {
  const org = rule.orgId === null ? null : { id: rule.orgId, slug: rule.orgSlug ?? '', name: '' }
  return authorize({ principal: EVALUATOR, org, orgRole: null }, rule.filter)
}
