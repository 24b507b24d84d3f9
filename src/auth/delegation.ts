import { forbidden } from '../errors.js'
import type { AccountDirectory } from './directory.js'
import { ACCOUNTS_FILE } from './identity-source.js'
import type { Principal } from './principal.js'

/**
 * The header Grafana's Infinity datasource fills with the signed-in Grafana user's login (a
 * datasource custom header whose value is `${__user.login}`, interpolated by the plugin's backend).
 */
export const GRAFANA_USER_HEADER = 'X-Grafana-User'

/**
 * Who a request acts as. A `grafana` token acts only on behalf of the user its `X-Grafana-User`
 * header names, with that user's access rules: the token on its own can do nothing (403), and so
 * can a name without an account here (403). Every other credential acts as itself and the header
 * means nothing to it. The principal keeps the token (kind `grafana`), so it may read but never
 * send events.
 *
 * More than one value (`alice, bob`) is refused: Infinity adds a panel's own headers after the
 * datasource's, so a dashboard editor who adds `X-Grafana-User` to a query produces two values
 * instead of replacing the signed-in user (usernames never contain commas).
 */
export function actingPrincipal(
  directory: AccountDirectory,
  principal: Principal,
  grafanaUser: string | null,
): Principal {
  if (principal.token?.kind !== 'grafana') return principal
  const login = grafanaUser?.trim() ?? ''
  if (login === '') {
    throw forbidden(
      `a grafana token acts only on behalf of the Grafana user named in ${GRAFANA_USER_HEADER}, and this request names none`,
    )
  }
  if (login.includes(',')) {
    throw forbidden(`${GRAFANA_USER_HEADER} must name one user; a panel may not set this header`)
  }
  const user = directory.userByName(login)
  if (!user) {
    throw forbidden(
      `${GRAFANA_USER_HEADER}: there is no user '${login}' here; Grafana users need accounts with the same usernames`,
    )
  }
  return {
    user: { id: user.id, username: user.username, email: user.email, role: user.role },
    token: principal.token,
    source: ACCOUNTS_FILE,
  }
}
