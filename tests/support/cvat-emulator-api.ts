import {
  CREATED,
  type EmulatedMembership,
  type EmulatedOrganization,
  type EmulatedUser,
  type EmulatorState,
} from './cvat-emulator-state.js'

/**
 * CVAT's answers to the identity endpoints, as docs/identity.md#who-the-caller-is and
 * docs/identity.md#organizations-and-memberships state them: who sees which memberships and
 * organizations, the org context of a request, the response shapes and PageNumberPagination.
 * Pure: a request in, a status and a body out.
 */

export interface Answer {
  readonly status: number
  readonly body: unknown
}

type Context = { kind: 'sandbox'; specified: boolean } | { kind: 'org'; org: EmulatedOrganization }

const detail = (status: number, text: string): Answer => ({ status, body: { detail: text } })
/** DRF renders a ValidationError raised with a string as a list of that string. */
const invalid = (text: string): Answer => ({ status: 400, body: [text] })

/** Routes an authenticated GET; undefined when the path is not one of CVAT's we emulate. */
export function answer(
  state: EmulatorState,
  user: EmulatedUser,
  url: URL,
  headers: Headers,
): Answer | undefined {
  const path = url.pathname.replace(/\/$/, '')
  if (path === '/api/users/self') return { status: 200, body: userBody(url, user) }
  if (path === '/api/memberships') return memberships(state, user, url, headers)
  if (path === '/api/organizations') return organizations(state, user, url)
  const orgId = /^\/api\/organizations\/(\d+)$/.exec(path)?.[1]
  if (orgId !== undefined) return organization(state, user, url, Number(orgId))
  return undefined
}

/**
 * CVAT's ContextMiddleware: `org` (slug) or `X-Organization`, or `org_id`; conflicting values are
 * 400, an unknown organization 404, and one the caller is not an active member of 403 unless the
 * caller is a superuser (`get_iam_context`).
 */
function orgContext(state: EmulatorState, user: EmulatedUser, url: URL, headers: Headers): Context | Answer {
  const slugParam = url.searchParams.get('org')
  const header = headers.get('x-organization')
  const idParam = url.searchParams.get('org_id')
  if (idParam !== null && (slugParam !== null || header !== null)) {
    return invalid(
      'You cannot specify "org_id" query parameter with "org" query parameter or "X-Organization" HTTP header at the same time.',
    )
  }
  if (slugParam !== null && header !== null && slugParam !== header) {
    return invalid(
      'You cannot specify "org" query parameter and "X-Organization" HTTP header with different values.',
    )
  }
  const slug = slugParam ?? header
  let org: EmulatedOrganization | undefined
  if (slug) {
    org = state.organizations.find((o) => o.slug === slug)
    if (!org) return detail(404, `${slug} organization does not exist.`)
  } else if (idParam) {
    // CVAT's int() would raise a 500 here; the emulation answers 400 rather than crash.
    if (!/^\d+$/.test(idParam)) return invalid(`org_id must be an integer, got '${idParam}'.`)
    org = state.organizations.find((o) => o.id === Number(idParam))
    if (!org) return detail(404, `${idParam} organization does not exist.`)
  }
  if (!org) return { kind: 'sandbox', specified: slug !== null || idParam !== null }
  if (!user.isSuperuser && !state.activeMembership(user.id, org.id)) {
    return detail(403, 'You should be an active member in the organization.')
  }
  return { kind: 'org', org }
}

function memberships(state: EmulatorState, user: EmulatedUser, url: URL, headers: Headers): Answer {
  const context = orgContext(state, user, url, headers)
  if ('status' in context) return context
  const isAdmin = state.privilegeOf(user) === 'admin'
  let visible: EmulatedMembership[]
  if (context.kind === 'org') {
    const own = state.activeMembership(user.id, context.org.id)
    const staff = isAdmin || own?.role === 'owner' || own?.role === 'maintainer'
    visible = state.memberships.filter((m) => m.orgId === context.org.id && (staff || m.isActive))
  } else if (context.specified) {
    visible = [] // `org=` (empty): the sandbox filter adds organization = null, which no membership has
  } else {
    visible = isAdmin
      ? state.memberships
      : state.memberships.filter((m) => m.userId === user.id && m.isActive)
  }
  const username = url.searchParams.get('user')
  const role = url.searchParams.get('role')
  const rows = visible
    .filter((m) => username === null || state.users.find((u) => u.id === m.userId)?.username === username)
    .filter((m) => role === null || m.role === role)
    .map((m) => membershipBody(url, state, m))
  return paginate(url, rows)
}

function organizations(state: EmulatorState, user: EmulatedUser, url: URL): Answer {
  const isAdmin = state.privilegeOf(user) === 'admin'
  const slug = url.searchParams.get('slug')
  const rows = state.organizations
    .filter((o) => isAdmin || o.ownerId === user.id || state.activeMembership(user.id, o.id))
    .filter((o) => slug === null || o.slug === slug)
    .map((o) => organizationBody(url, state, o))
  return paginate(url, rows)
}

/** Visible to admins, the owner, and anyone with a membership row in it, active or not. */
function organization(state: EmulatorState, user: EmulatedUser, url: URL, id: number): Answer {
  const org = state.organizations.find((o) => o.id === id)
  if (!org) return detail(404, 'No Organization matches the given query.')
  const visible =
    state.privilegeOf(user) === 'admin' ||
    org.ownerId === user.id ||
    state.memberships.some((m) => m.orgId === id && m.userId === user.id)
  if (!visible) return detail(403, 'You do not have permission to perform this action.')
  return { status: 200, body: organizationBody(url, state, org) }
}

/**
 * DRF's PageNumberPagination as CVAT configures it: `page_size` (an integer, or `all`), default 10;
 * `next`/`previous` are absolute links; a page past the end is 404 "Invalid page.".
 */
function paginate(url: URL, rows: unknown[]): Answer {
  const sizeParam = url.searchParams.get('page_size')
  const asked = Number(sizeParam)
  const size =
    sizeParam === 'all' ? Math.max(rows.length, 1) : Number.isInteger(asked) && asked > 0 ? asked : 10
  const pageParam = url.searchParams.get('page') ?? '1'
  const page = Number(pageParam)
  const pages = Math.max(1, Math.ceil(rows.length / size))
  if (!Number.isInteger(page) || page < 1 || page > pages) return detail(404, 'Invalid page.')
  const link = (n: number) => {
    const to = new URL(url)
    if (n === 1) to.searchParams.delete('page')
    else to.searchParams.set('page', String(n))
    return to.toString()
  }
  return {
    status: 200,
    body: {
      count: rows.length,
      next: page < pages ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: rows.slice((page - 1) * size, page * size),
    },
  }
}

function basicUser(url: URL, user: EmulatedUser) {
  return {
    url: new URL(`/api/users/${user.id}`, url).toString(),
    id: user.id,
    username: user.username,
    first_name: '',
    last_name: '',
  }
}

function userBody(url: URL, user: EmulatedUser) {
  return {
    ...basicUser(url, user),
    email: user.email,
    groups: user.groups,
    is_staff: user.isSuperuser,
    is_superuser: user.isSuperuser,
    is_active: user.isActive,
    last_login: null,
    date_joined: CREATED,
    has_analytics_access: user.hasAnalyticsAccess,
  }
}

function membershipBody(url: URL, state: EmulatorState, m: EmulatedMembership) {
  const user = state.users.find((u) => u.id === m.userId) as EmulatedUser
  return {
    id: m.id,
    user: basicUser(url, user),
    organization: m.orgId,
    is_active: m.isActive,
    joined_date: m.isActive ? CREATED : null,
    role: m.role,
    invitation: m.role === 'owner' ? null : `invitation-${m.id}`,
  }
}

function organizationBody(url: URL, state: EmulatorState, org: EmulatedOrganization) {
  const owner = state.users.find((u) => u.id === org.ownerId)
  return {
    id: org.id,
    slug: org.slug,
    name: org.name,
    description: '',
    created_date: CREATED,
    updated_date: CREATED,
    contact: {},
    owner: owner ? basicUser(url, owner) : null,
  }
}
