import { LRUCache } from 'lru-cache'
import type { Organization, OrgRole } from '../accounts-file.js'
import type { CvatClient } from './client.js'
import type { CvatCredential } from './credential.js'
import { CvatUnauthenticatedError, CvatUnavailableError, type CvatUnavailableReason } from './errors.js'
import type { CvatIdentity } from './identity.js'
import { OUTAGE_HOLD_MS } from './identity-cache.js'

/**
 * Which organization a request works in, as CVAT reads it (CVAT's `get_organization`,
 * docs/identity.md#organizations-and-memberships): `org` (slug) query parameter, `X-Organization`
 * header (slug), or `org_id` query parameter. None of them, or an empty one: the personal
 * workspace (CVAT's "sandbox").
 */
export type OrgSelector =
  | { readonly kind: 'personal' }
  | { readonly kind: 'slug'; readonly slug: string }
  | { readonly kind: 'id'; readonly id: string }

/** The raw inputs; null when absent (an empty value is present, as in CVAT). */
export interface OrgSelectorInput {
  /** The `org` query parameter. */
  readonly org: string | null
  /** The `X-Organization` header. */
  readonly xOrganization: string | null
  /** The `org_id` query parameter. */
  readonly orgId: string | null
}

export type OrgSelectorResult =
  | { readonly ok: true; readonly selector: OrgSelector }
  /** A bad request (400): `field` is the parameter at fault, the message begins with it. */
  | { readonly ok: false; readonly field: 'org' | 'org_id'; readonly message: string }

/**
 * Reads the org context like CVAT: `org_id` together with `org` or `X-Organization` is 400 even when
 * they agree, and so are `org` and `X-Organization` with different values. An `org_id` that is not
 * a decimal integer is 400 too (CVAT fails with 500 there).
 */
export function readOrgSelector(input: OrgSelectorInput): OrgSelectorResult {
  const { org, xOrganization, orgId } = input
  if (orgId !== null && (org !== null || xOrganization !== null)) {
    return {
      ok: false,
      field: 'org_id',
      message: 'org_id: cannot be combined with the org parameter or the X-Organization header',
    }
  }
  if (org !== null && xOrganization !== null && org !== xOrganization) {
    return {
      ok: false,
      field: 'org',
      message: `org: the org parameter ('${org}') and the X-Organization header ('${xOrganization}') name different organizations`,
    }
  }
  const slug = org ?? xOrganization
  if (slug) return { ok: true, selector: { kind: 'slug', slug } }
  if (orgId) {
    if (!/^\d{1,18}$/.test(orgId)) {
      return { ok: false, field: 'org_id', message: `org_id: must be an integer, got '${orgId}'` }
    }
    return { ok: true, selector: { kind: 'id', id: String(Number(orgId)) } }
  }
  return { ok: true, selector: { kind: 'personal' } }
}

/** How a selector reads in messages: `'acme'` or `#7`. */
export function describeSelector(selector: OrgSelector): string {
  if (selector.kind === 'slug') return `'${selector.slug}'`
  if (selector.kind === 'id') return `#${selector.id}`
  return 'the personal workspace'
}

/** The organization context of a CVAT caller, or why it may not have the one it asked for. */
export type OrgPlacement =
  | { readonly kind: 'placed'; readonly org: Organization | null; readonly orgRole: OrgRole | null }
  /** A superuser naming an organization it is not a member of: CVAT must say which one that is. */
  | { readonly kind: 'look-up' }
  /** 403. */
  | { readonly kind: 'forbidden'; readonly message: string }

/**
 * Places a caller in the organization its request names, by CVAT's rule (`get_iam_context`): only
 * an active membership gives a context, except for superusers, who may enter any organization.
 *
 * An organization that does not exist is 403 too, where CVAT answers 404: we cannot tell "does not
 * exist" from "exists, you are not in it" without asking CVAT with more rights than the caller
 * has, a 404 would tell any user which slugs exist, and the accounts-file path answers 403 as well.
 */
export function placeInOrganization(identity: CvatIdentity, selector: OrgSelector): OrgPlacement {
  if (selector.kind === 'personal') return { kind: 'placed', org: null, orgRole: null }
  const membership = identity.memberships.find((m) =>
    selector.kind === 'slug' ? m.slug === selector.slug : m.orgId === selector.id,
  )
  if (membership) {
    return {
      kind: 'placed',
      org: { id: membership.orgId, slug: membership.slug, name: membership.name },
      orgRole: membership.role,
    }
  }
  if (identity.isSuperuser) return { kind: 'look-up' }
  return {
    kind: 'forbidden',
    message: `organization ${describeSelector(selector)} does not exist or you are not an active member of it`,
  }
}

export type OrgFinding =
  | { readonly kind: 'found'; readonly org: Organization }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unauthenticated'; readonly detail: string }
  | { readonly kind: 'unavailable'; readonly reason: CvatUnavailableReason; readonly retryAfterS: number }

export interface OrganizationFinder {
  /** The organization a slug or id names, asked of CVAT with a superuser's credential. */
  find(credential: CvatCredential, selector: Exclude<OrgSelector, { kind: 'personal' }>): Promise<OrgFinding>
}

/**
 * Looks up organizations that a superuser enters without being a member (the only callers whose
 * context is not among their own memberships). Answers are kept under the slug or id, for the TTL
 * (an organization's id and slug are the same for whoever asks), "missing" only for `missTtlMs`
 * so that an organization just created in CVAT can be entered soon.
 */
export function createOrganizationFinder(options: {
  readonly client: CvatClient
  readonly ttlMs: number
  readonly missTtlMs: number
  readonly maxEntries: number
  readonly now?: () => number
}): OrganizationFinder {
  const now = options.now ?? Date.now
  const known = new LRUCache<string, { readonly org: Organization | null; readonly untilMs: number }>({
    max: options.maxEntries,
  })
  return {
    async find(credential, selector) {
      const key = selector.kind === 'slug' ? `slug:${selector.slug}` : `id:${selector.id}`
      const cached = known.get(key)
      if (cached && now() < cached.untilMs)
        return cached.org ? { kind: 'found', org: cached.org } : { kind: 'missing' }
      try {
        const found =
          selector.kind === 'slug'
            ? await options.client.organizationBySlug(credential, selector.slug)
            : await options.client.organization(credential, Number(selector.id))
        const org = found && { id: String(found.id), slug: found.slug, name: found.name }
        known.set(key, { org, untilMs: now() + (org ? options.ttlMs : options.missTtlMs) })
        return org ? { kind: 'found', org } : { kind: 'missing' }
      } catch (error) {
        if (error instanceof CvatUnauthenticatedError)
          return { kind: 'unauthenticated', detail: error.detail }
        const reason = error instanceof CvatUnavailableError ? error.reason : 'bad-response'
        return { kind: 'unavailable', reason, retryAfterS: Math.ceil(OUTAGE_HOLD_MS / 1000) }
      }
    },
  }
}
