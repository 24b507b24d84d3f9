import {
  AccountChangeError,
  addOrganization,
  addToken,
  addUser,
  revokeToken,
  setMembership,
  updateUser,
} from '../auth/account-admin.js'
import { updateAccounts, type AccountsData } from '../auth/accounts-file.js'
import { hashPassword, verifyPassword } from '../auth/passwords.js'
import { hashToken, newToken } from '../auth/tokens.js'
import type { DemoWorld } from './world.js'

/** Name of the ingest token a demo run creates for its server events, and revokes when done. */
export const DEMO_TOKEN_NAME = 'demo-ingest'

export interface DemoAccounts {
  /** Accounts, organizations and memberships added; passwords changed. */
  readonly added: { users: number; organizations: number; memberships: number }
  readonly passwordsChanged: number
  /** The ingest token's secret (shown nowhere) and id (to revoke it). */
  readonly ingestToken: string
  readonly ingestTokenId: string
}

/**
 * Makes the accounts file hold the demo world: its organizations, its people with the ids the
 * events carry and `password`, their memberships, and a fresh ingest token. What exists is kept
 * (a re-run adds nothing), except passwords, which follow `password` so the run can sign in as
 * everyone. A name or id held by someone else is an error: events would not match the accounts.
 * The password is hashed once and the hash shared by all demo people (scrypt costs ~50 ms each).
 */
export async function prepareDemoAccounts(
  file: string,
  world: DemoWorld,
  password: string,
): Promise<DemoAccounts> {
  const passwordHash = await hashPassword(password)
  const ingestToken = newToken()
  return updateAccounts(file, async (start) => {
    let data = start
    const added = { users: 0, organizations: 0, memberships: 0 }
    let passwordsChanged = 0

    for (const org of world.organizations) {
      const existing = data.organizations.find((o) => o.slug === org.slug)
      if (existing) requireSameId('organization', org.slug, existing.id, org.id)
      else {
        data = guarded(() => addOrganization(data, { slug: org.slug, id: String(org.id), name: org.name }))
        added.organizations++
      }
    }

    const known = new Map<string, boolean>()
    for (const person of world.people) {
      const existing = data.users.find((u) => u.username === person.username)
      if (!existing) {
        const input = {
          username: person.username,
          id: String(person.id),
          email: person.email,
          role: person.globalRole,
          passwordHash,
        }
        data = guarded(() => addUser(data, input))
        added.users++
      } else {
        requireSameId('user', person.username, existing.id, person.id)
        // Demo people share one hash, so this is one slow verification per earlier run, not per person.
        let matches = known.get(existing.passwordHash)
        if (matches === undefined) {
          matches = await verifyPassword(password, existing.passwordHash)
          known.set(existing.passwordHash, matches)
        }
        if (!matches) {
          data = updateUser(data, person.username, { passwordHash })
          passwordsChanged++
        }
      }
      const member = data.memberships.find(
        (m) => m.orgId === String(person.orgId) && m.userId === String(person.id),
      )
      if (member?.role !== person.orgRole) {
        data = setMembership(data, person.orgSlug, person.username, person.orgRole)
        added.memberships += member ? 0 : 1
      }
    }

    data = withFreshToken(data, world.people[0]?.username ?? '', hashToken(ingestToken))
    const token = data.tokens[data.tokens.length - 1]
    return { data, result: { added, passwordsChanged, ingestToken, ingestTokenId: token?.id ?? '' } }
  })
}

/** Revokes the run's ingest token (the secret was never shown, so nobody else can use it). */
export async function revokeDemoToken(file: string, tokenId: string): Promise<void> {
  await updateAccounts(file, (data) => {
    const token = data.tokens.find((t) => t.id === tokenId && t.revokedAt === null)
    return { data: token ? revokeToken(data, tokenId) : data, result: undefined }
  })
}

/** Drops revoked demo tokens, revokes live ones left by an interrupted run, adds a new one. */
function withFreshToken(data: AccountsData, username: string, hash: string): AccountsData {
  let next: AccountsData = {
    ...data,
    tokens: data.tokens.filter((t) => !(t.name === DEMO_TOKEN_NAME && t.revokedAt !== null)),
  }
  for (const token of next.tokens) {
    if (token.name === DEMO_TOKEN_NAME) next = revokeToken(next, token.id)
  }
  return addToken(next, { username, kind: 'ingest', name: DEMO_TOKEN_NAME, hash }).data
}

function requireSameId(what: string, name: string, existingId: string, demoId: number): void {
  if (existingId !== String(demoId)) {
    throw new AccountChangeError(
      `${what} '${name}' exists with id ${existingId}, but the demo's '${name}' has id ${demoId}: ` +
        `remove it (npm run admin -- ${what === 'user' ? 'user' : 'org'} remove ${name}) or use another data directory`,
    )
  }
}

function guarded(change: () => AccountsData): AccountsData {
  try {
    return change()
  } catch (error) {
    if (error instanceof AccountChangeError) {
      throw new AccountChangeError(
        `${error.message}: the demo uses its own id range; use another data directory`,
      )
    }
    throw error
  }
}
