import type { RequestInfo } from '../domain/request-info.js'
import type { Credentials } from './credentials.js'
import { changesState } from './csrf.js'

/**
 * The credentials a request presents: `Authorization`, the `Cookie` (CVAT's session), the
 * organization context as CVAT reads it (`org` and `org_id` query parameters, `X-Organization`),
 * and what a CSRF check needs.
 */
export function credentialsOf(info: RequestInfo): Credentials {
  const query = info.url.searchParams
  return {
    authorization: info.header('authorization'),
    cookie: info.header('cookie'),
    org: { org: query.get('org'), xOrganization: info.header('x-organization'), orgId: query.get('org_id') },
    csrf: {
      changesState: changesState(info.method),
      token: info.header('x-csrftoken'),
      origin: info.header('origin'),
      host: info.header('host') ?? info.url.host,
    },
    grafanaUser: info.header('x-grafana-user'),
    clientAddress: info.remoteAddr,
  }
}
