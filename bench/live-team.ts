import { addToken, addUser, setMembership } from '../src/auth/account-admin.js'
import { updateAccounts } from '../src/auth/accounts-file.js'
import { hashPassword } from '../src/auth/passwords.js'
import { hashToken, newToken } from '../src/auth/tokens.js'

/** Authorization headers of the bench's people in one organization. */
export interface BenchTeam {
  /** One read token per viewer (maintainers: they see the organization's exceptions). */
  readonly viewers: string[]
  /** Basic credentials of the annotators (workers) who send the probes and the ingest load. */
  readonly senders: string[]
}

/**
 * The people the live bench measures, as an organization has them: a thousand subscribers are a
 * thousand people's pages, not one user's (whom RATE_LIMIT_SUBSCRIPTIONS holds to 20 at once), and
 * the ingest load comes from many annotators, each well within RATE_LIMIT_INGEST.
 */
export async function addBenchTeam(
  accountsFile: string,
  org: string,
  counts: { viewers: number; senders: number },
): Promise<BenchTeam> {
  const password = 'bench-live-password'
  const passwordHash = await hashPassword(password) // one hash for all: each costs ~50 ms
  const tokens = Array.from({ length: counts.viewers }, () => newToken())
  const senderNames = Array.from({ length: counts.senders }, (_, i) => `bench-sender-${i}`)
  await updateAccounts(accountsFile, (start) => {
    let data = start
    tokens.forEach((token, i) => {
      const username = `bench-viewer-${i}`
      data = addUser(data, { username, role: 'user', passwordHash })
      data = setMembership(data, org, username, 'maintainer')
      data = addToken(data, { username, kind: 'read', name: 'bench', hash: hashToken(token) }).data
    })
    for (const username of senderNames) {
      data = addUser(data, { username, role: 'worker', passwordHash })
      data = setMembership(data, org, username, 'worker')
    }
    return { data, result: undefined }
  })
  return {
    viewers: tokens.map((token) => `Bearer ${token}`),
    senders: senderNames.map((name) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`),
  }
}
