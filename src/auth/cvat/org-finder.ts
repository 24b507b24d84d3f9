import { LRUCache } from 'lru-cache'
import type { Organization } from '../accounts-file.js'
import type { CvatClient } from './client.js'
import type { CvatCredential } from './credential.js'
import { CvatUnauthenticatedError, CvatUnavailableError, type CvatUnavailableReason } from './errors.js'
import type { OrgSelector } from './org-selector.js'
import { OUTAGE_HOLD_MS } from './resolver.js'

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
