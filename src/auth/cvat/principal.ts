import type { Principal } from '../principal.js'
import type { CvatIdentity } from './identity.js'

/** The token id a CVAT personal access token gets in a Principal (CVAT's own token id is not asked). */
export const CVAT_PAT_TOKEN_ID = 'cvat-pat'

/** When CVAT vouched for an identity, and until when that is trusted without asking again. */
export interface CvatConfirmation {
  readonly confirmedAtMs: number
  readonly freshUntilMs: number
}

/**
 * A CVAT identity as this service's Principal:
 * - a personal access token becomes a `read` token: it may query and export but not send events,
 *   which is CVAT's rule for PATs; a legacy `Token` key, a session or a password act as the user;
 * - `role` is CVAT's privilege, null for a user in none of CVAT's role groups: the policy
 *   (policy.ts, with CVAT's rules from rules.ts) lets such a user send events but not view them.
 */
export function cvatPrincipal(identity: CvatIdentity, confirmation: CvatConfirmation): Principal {
  return {
    user: {
      id: identity.userId,
      username: identity.username,
      email: identity.email,
      role: identity.privilege,
    },
    token: identity.credential === 'bearer' ? { id: CVAT_PAT_TOKEN_ID, kind: 'read' } : null,
    source: {
      kind: 'cvat',
      identity,
      confirmedAtMs: confirmation.confirmedAtMs,
      freshUntilMs: confirmation.freshUntilMs,
    },
  }
}
