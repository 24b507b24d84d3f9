import type { Access } from '../../auth/principal.js'
import type { RequestInfo } from '../../domain/request-info.js'

/** What a REST handler gets: the request, its path parameters, and who is calling. */
export interface RouteContext {
  readonly request: Request
  readonly url: URL
  /** Values of the route's `{parameters}`, decoded. */
  readonly params: Readonly<Record<string, string>>
  /** The request as the core describes it (request id, client address, receive time). */
  readonly info: RequestInfo
  /** The principal and organization of the request (401/403 as coded errors), resolved once. */
  access(): Promise<Access>
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** The path, with `{name}` for a parameter segment; a trailing slash on the request is ignored. */
  readonly path: string
  readonly handle: (ctx: RouteContext) => Promise<Response>
}
