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
