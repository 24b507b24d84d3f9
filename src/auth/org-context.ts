import { badInput } from '../errors.js'
import type { Credentials } from './credentials.js'
import { readOrgSelector, type OrgSelector } from './cvat/organization.js'

/**
 * The organization a request works in, read by CVAT's rules for every identity source alike:
 * `org` or `X-Organization` (a slug), or `org_id`; none of them, the personal workspace. Inputs
 * in conflict (`org_id` with a slug, two different slugs) or an `org_id` that is not an integer
 * are BAD_USER_INPUT (400), as in CVAT.
 */
export function orgSelectorOf(credentials: Credentials): OrgSelector {
  const read = readOrgSelector(credentials.org)
  if (read.ok) return read.selector
  throw badInput(read.message, { field: read.field })
}
