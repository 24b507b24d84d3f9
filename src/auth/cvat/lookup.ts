import type { CvatClient } from './client.js'
import type { CvatCredential } from './credential.js'
import { organizationsToRead, toIdentity, type CvatIdentity } from './identity.js'
import type { CvatOrganization } from './responses.js'

/** Organizations read at once; most users have one or two, an admin may have many. */
const ORG_READS_AT_ONCE = 4

/**
 * Asks CVAT who the credential belongs to: `/api/users/self`, then the user's memberships (all
 * pages), then the slug of each organization it is an active member of. Every call carries only
 * this credential; errors are the client's (unauthenticated or unavailable).
 */
export async function lookUpIdentity(client: CvatClient, credential: CvatCredential): Promise<CvatIdentity> {
  const user = await client.self(credential)
  const memberships = await client.memberships(credential, user.username)
  const ids = organizationsToRead(user, memberships)
  const organizations: CvatOrganization[] = []
  for (let i = 0; i < ids.length; i += ORG_READS_AT_ONCE) {
    const batch = ids.slice(i, i + ORG_READS_AT_ONCE)
    const read = await Promise.all(batch.map((id) => client.organization(credential, id)))
    organizations.push(...read.filter((o): o is CvatOrganization => o !== null))
  }
  return toIdentity(user, memberships, organizations, credential.kind)
}
