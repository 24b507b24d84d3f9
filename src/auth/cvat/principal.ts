import type { SourcedPrincipal } from '../identity-source.js'
import type { CvatIdentity } from './identity.js'

/** The token id a CVAT personal access token gets in a Principal (CVAT's own token id is not asked). */
export const CVAT_PAT_TOKEN_ID = 'cvat-pat'

/**
 * A CVAT identity as this service's Principal:
 * - a personal access token becomes a `read` token: it may query and export but not send events,
 *   which is CVAT's rule for PATs; a legacy `Token` key, a session or a password act as the user;
 * - `role` is CVAT's privilege. A user in none of CVAT's role groups has no privilege; `role` cannot
 *   say null, so it reads `worker` (the least), and `source.identity.privilege` keeps the null that
 *   CVAT's rules (rules.ts) check: such a user may send events but not view or export them.
 */
export function cvatPrincipal(identity: CvatIdentity, confirmedAtMs: number): SourcedPrincipal {
  return {
    user: {
      id: identity.userId,
      username: identity.username,
      email: identity.email,
      role: identity.privilege ?? 'worker',
    },
    token: identity.credential === 'bearer' ? { id: CVAT_PAT_TOKEN_ID, kind: 'read' } : null,
    source: { kind: 'cvat', identity, confirmedAtMs },
  }
}
