import { updateAccounts, type AccountsData } from '../../src/auth/accounts-file.js'
import type { Credentials } from '../../src/auth/credentials.js'
import { credentialsOf } from '../../src/auth/request-credentials.js'
import { addOrganization, addToken, addUser, setMembership } from '../../src/auth/account-admin.js'
import { hashPassword } from '../../src/auth/passwords.js'
import { hashToken } from '../../src/auth/tokens.js'

/** The people of the test world; ids are "CVAT's", as an operator would give them with --id. */
export const PEOPLE = {
  admin: { username: 'admin', password: 'admin-password', id: '1' },
  /** Global user, owner of acme. */
  olivia: { username: 'olivia', password: 'olivia-password', id: '10', email: 'olivia@acme.test' },
  /** Global user, maintainer of acme. */
  mark: { username: 'mark', password: 'mark-password', id: '11', email: 'mark@acme.test' },
  /** Global user, supervisor of acme. */
  sue: { username: 'sue', password: 'sue-password', id: '12', email: 'sue@acme.test' },
  /** Global worker, worker in acme. */
  walt: { username: 'walt', password: 'walt-password', id: '13', email: 'walt@acme.test' },
  /** Global user, worker in globex only. */
  gina: { username: 'gina', password: 'gina-password', id: '20', email: 'gina@globex.test' },
  /** Global user with no organization. */
  nora: { username: 'nora', password: 'nora-password', id: '30', email: 'nora@solo.test' },
} as const

export type Person = keyof typeof PEOPLE

/** A person's global role in the accounts file. */
export function globalRole(person: Person): 'admin' | 'worker' | 'user' {
  return person === 'admin' ? 'admin' : person === 'walt' ? 'worker' : 'user'
}

export const ORGS = {
  acme: { slug: 'acme', id: '7' },
  globex: { slug: 'globex', id: '8' },
} as const

export type OrgSlug = keyof typeof ORGS

/** The memberships seedAccounts writes: (organization, person, role there). */
export const MEMBERSHIPS: readonly (readonly [
  OrgSlug,
  Person,
  'owner' | 'maintainer' | 'supervisor' | 'worker',
])[] = [
  ['acme', 'olivia', 'owner'],
  ['acme', 'mark', 'maintainer'],
  ['acme', 'sue', 'supervisor'],
  ['acme', 'walt', 'worker'],
  ['globex', 'gina', 'worker'],
]

/** Secrets of the tokens seeded below. */
export const TOKENS = {
  ingest: 'aat_test-ingest-token-0123456789abcdefghijkl',
  waltRead: 'aat_test-walt-read-token-0123456789abcdefgh',
  oliviaRead: 'aat_test-olivia-read-token-0123456789abcdef',
  /** What Prometheus scrapes /metrics with. */
  metrics: 'aat_test-metrics-token-0123456789abcdefghijk',
} as const

/** Writes the test world into an accounts file (before the app starts, as an operator would); idempotent. */
export async function seedAccounts(file: string): Promise<void> {
  const hashes = Object.fromEntries(
    await Promise.all(
      Object.entries(PEOPLE).map(async ([key, p]) => [key, await hashPassword(p.password)] as const),
    ),
  ) as Record<Person, string>
  await updateAccounts(file, (start: AccountsData) => {
    let data = start
    for (const [key, p] of Object.entries(PEOPLE) as [Person, (typeof PEOPLE)[Person]][]) {
      if (data.users.some((u) => u.username === p.username)) continue
      const role = globalRole(key)
      data = addUser(data, {
        username: p.username,
        id: p.id,
        role,
        passwordHash: hashes[key],
        ...('email' in p ? { email: p.email } : {}),
      })
    }
    for (const [slug, name] of [
      ['acme', 'Acme'],
      ['globex', 'Globex'],
    ] as const) {
      if (!data.organizations.some((o) => o.slug === slug))
        data = addOrganization(data, { slug, id: ORGS[slug].id, name })
    }
    for (const [org, person, role] of MEMBERSHIPS) data = setMembership(data, org, person, role)
    const tokens = [
      ['admin', 'ingest', 'cvat', TOKENS.ingest],
      ['walt', 'read', 'walt-grafana', TOKENS.waltRead],
      ['olivia', 'read', 'olivia-grafana', TOKENS.oliviaRead],
      ['admin', 'metrics', 'prometheus', TOKENS.metrics],
    ] as const
    for (const [username, kind, name, secret] of tokens) {
      if (!data.tokens.some((t) => t.hash === hashToken(secret))) {
        data = addToken(data, { username, kind, name, hash: hashToken(secret) }).data
      }
    }
    return { data, result: undefined }
  })
}

export function basic(person: Person): string {
  const p = PEOPLE[person]
  return `Basic ${Buffer.from(`${p.username}:${p.password}`).toString('base64')}`
}

/** Request headers of a person, optionally working in an organization (its slug). */
export function as(person: Person, org?: string): Record<string, string> {
  return { authorization: basic(person), ...(org ? { 'x-organization': org } : {}) }
}

export function bearer(token: string): string {
  return `Bearer ${token}`
}

/** The headers Prometheus scrapes /metrics with (a metrics token). */
export const SCRAPER: Readonly<Record<string, string>> = { authorization: bearer(TOKENS.metrics) }

/**
 * What a request with these headers presents (as `credentialsOf` reads it), for tests that call
 * `services.auth` directly; `as(person, org)` gives a person's headers.
 */
export function credentialsFrom(
  headers: Record<string, string>,
  url = 'http://test.local/graphql',
): Credentials {
  const all = new Headers(headers)
  return credentialsOf({
    requestId: 'test',
    header: (name) => all.get(name),
    url: new URL(url),
    method: 'GET',
    remoteAddr: null,
    receivedAtMs: Date.now(),
  })
}

/** What `addGrafanaToken` needs of a test app (a structural type: app.ts imports this file). */
interface AccountsOwner {
  readonly config: { readonly accountsFile: string }
  readonly app: { readonly services: { readonly directory: { refresh(force: boolean): Promise<unknown> } } }
}

/**
 * Gives the admin a grafana token (`token` in clear), as `npm run admin -- token add admin --kind
 * grafana` does, and makes the running service see it: the provisioned datasource's credential.
 */
export async function addGrafanaToken(t: AccountsOwner, token: string): Promise<void> {
  await updateAccounts(t.config.accountsFile, (data) => ({
    data: addToken(data, { username: 'admin', kind: 'grafana', name: 'grafana', hash: hashToken(token) })
      .data,
    result: undefined,
  }))
  await t.app.services.directory.refresh(true)
}

/**
 * A CVAT client batch of `n` `draw:object` events stamped now, each carrying `marker` in
 * `obj_val` (and its index in `obj_id`), so a test can count what of it was stored.
 */
export function markedBatch(marker: string, n: number) {
  const now = new Date().toISOString()
  return {
    events: Array.from({ length: n }, (_, i) => ({
      scope: 'draw:object',
      obj_val: marker,
      obj_id: i,
      timestamp: now,
    })),
    timestamp: now,
  }
}
