import { resolveAccess } from '../auth/access.js'
import type { Access } from '../auth/principal.js'
import type { RequestContext } from '../ingest/request-context.js'
import type { Services } from '../services.js'
import { requestIdOf } from './request-id.js'

/** What a REST handler gets: the request and the core services. */
export interface RouteContext {
  readonly request: Request
  readonly url: URL
  /** Values of the route's `{parameters}`, decoded. */
  readonly params: Readonly<Record<string, string>>
  readonly services: Services
  /** The client address (see useClientAddress). */
  readonly remoteAddr: string | null
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** The path, with `{name}` for a parameter segment; a trailing slash on the request is ignored. */
  readonly path: string
  readonly handle: (ctx: RouteContext) => Promise<Response>
}

/** The principal and organization of a REST request (401/403 on failure). */
export function accessOf(ctx: RouteContext): Promise<Access> {
  const { request, url } = ctx
  const orgSlug = request.headers.get('x-organization') ?? url.searchParams.get('org')
  return resolveAccess(
    ctx.services.directory,
    request.headers.get('authorization'),
    orgSlug,
    request.headers.get('x-grafana-user'),
  )
}

/** The request as ingest records it. */
export function requestContextOf(ctx: RouteContext): RequestContext {
  return {
    requestId: requestIdOf(ctx.request),
    userAgent: ctx.request.headers.get('user-agent'),
    remoteAddr: ctx.remoteAddr,
    receivedAtMs: Date.now(),
  }
}
