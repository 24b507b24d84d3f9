import type { CvatCredential } from './credential.js'
import { CvatUnauthenticatedError, CvatUnavailableError } from './errors.js'
import {
  readMembership,
  readOrganization,
  readPage,
  readUser,
  type CvatMembership,
  type CvatOrganization,
  type CvatUser,
} from './responses.js'

export interface CvatClientOptions {
  /** `CVAT_URL`: where CVAT's API is, e.g. `http://cvat_server:8080` (a path prefix is kept). */
  readonly baseUrl: string
  /** `CVAT_TIMEOUT_MS`: each request to CVAT, body included, is abandoned after this long. */
  readonly timeoutMs: number
  /** Rows asked for per page of a list. @default 100 */
  readonly pageSize?: number
  /** Most pages read of one list; a longer list is a `bad-response` rather than an endless walk. @default 50 */
  readonly maxPages?: number
  /** Called before each HTTP request, for counters. */
  readonly onRequest?: (path: string) => void
}

/** The four reads of CVAT's API the identity needs, each with the caller's credential only. */
export interface CvatClient {
  /** `GET /api/users/self`. */
  self(credential: CvatCredential): Promise<CvatUser>
  /** `GET /api/memberships?user=<username>`, every page, in the personal workspace (no org context). */
  memberships(credential: CvatCredential, username: string): Promise<CvatMembership[]>
  /** `GET /api/organizations/{id}`; null when CVAT does not show it to this caller (403/404). */
  organization(credential: CvatCredential, id: number): Promise<CvatOrganization | null>
  /** `GET /api/organizations?slug=<slug>`; null when no organization the caller sees has it. */
  organizationBySlug(credential: CvatCredential, slug: string): Promise<CvatOrganization | null>
}

/** CVAT renders `application/vnd.cvat+json` only; a bare `application/json` Accept is refused (406). */
const ACCEPT = 'application/vnd.cvat+json'

/**
 * Talks to CVAT with `fetch`. CVAT's 401 becomes CvatUnauthenticatedError; no answer, a timeout,
 * a 5xx or an unreadable body become CvatUnavailableError, so callers can tell "wrong password"
 * from "CVAT is down". Redirects are refused: following one could carry the credential elsewhere.
 */
export function createCvatClient(options: CvatClientOptions): CvatClient {
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`
  const pageSize = options.pageSize ?? 100
  const maxPages = options.maxPages ?? 50

  /** GETs a path: the parsed body of a 200, or a null body for 403 and 404 (callers decide). */
  async function get(credential: CvatCredential, path: string, query: Record<string, string> = {}) {
    const url = new URL(path, base)
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value)
    options.onRequest?.(path)
    try {
      const response = await fetch(url, {
        headers: { accept: ACCEPT, ...credential.headers() },
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs),
      })
      const text = await response.text()
      if (response.status === 401) throw new CvatUnauthenticatedError(detailOf(text))
      if (response.status === 403 || response.status === 404) return { status: response.status, body: null }
      if (response.status >= 500) {
        throw new CvatUnavailableError('server-error', `CVAT answered ${response.status}`, response.status)
      }
      if (response.status !== 200) {
        throw new CvatUnavailableError('bad-response', `CVAT answered ${response.status}`, response.status)
      }
      return { status: 200, body: parseJson(text) }
    } catch (error) {
      throw classify(error, options.timeoutMs)
    }
  }

  async function getOk(credential: CvatCredential, path: string, query?: Record<string, string>) {
    const { status, body } = await get(credential, path, query)
    if (status !== 200)
      throw new CvatUnavailableError('bad-response', `CVAT answered ${status} to ${path}`, status)
    return body
  }

  return {
    async self(credential) {
      return readUser(await getOk(credential, 'api/users/self'))
    },

    async memberships(credential, username) {
      const rows: CvatMembership[] = []
      // Pages are asked for by number against our own base URL rather than by following `next`:
      // CVAT builds `next` from the Host it was reached by, which behind a proxy may not be ours.
      for (let page = 1; page <= maxPages; page++) {
        const query = { user: username, page_size: String(pageSize), page: String(page) }
        const result = readPage(await getOk(credential, 'api/memberships', query), readMembership)
        rows.push(...result.results)
        if (!result.hasNext) return rows
      }
      throw new CvatUnavailableError('bad-response', `more than ${maxPages} pages of memberships`)
    },

    async organization(credential, id) {
      const { body } = await get(credential, `api/organizations/${id}`)
      return body === null ? null : readOrganization(body)
    },

    async organizationBySlug(credential, slug) {
      const body = await getOk(credential, 'api/organizations', { slug, page_size: '10' })
      return readPage(body, readOrganization).results.find((o) => o.slug === slug) ?? null
    },
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new CvatUnavailableError('bad-response', 'CVAT answered with a body that is not JSON')
  }
}

/** CVAT's `{"detail": …}`; a fixed text when the body is something else. */
function detailOf(text: string): string {
  try {
    const body = JSON.parse(text) as { detail?: unknown }
    if (typeof body.detail === 'string') return body.detail
  } catch {
    // not JSON: fall through
  }
  return 'CVAT did not accept the credentials'
}

function classify(error: unknown, timeoutMs: number): Error {
  if (error instanceof CvatUnauthenticatedError || error instanceof CvatUnavailableError) return error
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new CvatUnavailableError('timeout', `CVAT did not answer within ${timeoutMs} ms`)
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return new CvatUnavailableError('unreachable', `CVAT is unreachable${cause}`)
}
