import type { Plugin } from 'graphql-yoga'
import type { Authenticator } from '../auth/access.js'
import type { Access } from '../auth/principal.js'
import { accessOf } from '../context.js'
import type { FaultReporter } from '../observability/faults.js'
import { requestInfoOf } from '../transports/request-info.js'
import { badInput } from '../errors.js'
import { errorResponse, failureResponse, json } from '../transports/rest/responses.js'
import type { Route, RouteContext } from '../transports/rest/route.js'

export interface RouterOptions {
  readonly auth: Authenticator
  readonly report: FaultReporter
  /** Passed through to yoga. */
  readonly graphqlPath: string
}

interface CompiledRoute {
  readonly route: Route
  readonly pattern: RegExp
  readonly names: readonly string[]
}

/** `/api/requests/{rq_id}` → a pattern whose groups are the path parameters. */
function compile(route: Route): CompiledRoute {
  const names: string[] = []
  const source = route.path
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\{(\w+)\}/g, (_match, name: string) => {
      names.push(name)
      return '([^/]+)'
    })
  return { route, pattern: new RegExp(`^${source}$`), names }
}

/**
 * Serves the REST routes inside yoga's request pipeline, so every transport shares one server,
 * one request-id stamp and one `fetch` for tests. Paths may have `{parameters}`; HEAD is answered
 * by the GET route without its body (`curl -I`). `/graphql` passes through to yoga; any other
 * unknown path is a JSON 404, a known path with another method a 405.
 */
export function useRoutes(routes: readonly Route[], options: RouterOptions): Plugin {
  const { auth, report, graphqlPath } = options
  const table = routes.map(compile)
  return {
    async onRequest(event) {
      const { request, url } = event
      const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname
      if (path === graphqlPath) return
      const matching = table.flatMap((entry) => {
        const match = entry.pattern.exec(path)
        return match ? [{ ...entry, values: match.slice(1) }] : []
      })
      const method = request.method === 'HEAD' ? 'GET' : request.method
      const found = matching.find((m) => m.route.method === method)
      if (!found) {
        event.endResponse(
          matching.length > 0
            ? json(
                405,
                { message: `${request.method} is not allowed on ${path}` },
                { Allow: matching.map((m) => m.route.method).join(', ') },
              )
            : json(404, { message: `no route for ${request.method} ${path}`, code: 'NOT_FOUND' }),
        )
        return
      }
      const info = requestInfoOf(request)
      const params = decodedParams(found.names, found.values)
      if (params === undefined) {
        event.endResponse(
          errorResponse(badInput(`the path ${path} is not valid percent-encoding`, { field: 'path' })),
        )
        return
      }
      let access: Promise<Access> | undefined
      const ctx: RouteContext = {
        request,
        url,
        params,
        info,
        access: () => (access ??= accessOf(auth, info)),
      }
      const response = await handleSafely(found.route, ctx, report)
      event.endResponse(request.method === 'HEAD' ? withoutBody(response) : response)
    },
  }
}

/** Path parameters, decoded; undefined when one is malformed percent-encoding (`%E0%A4%A`). */
function decodedParams(
  names: readonly string[],
  values: readonly (string | undefined)[],
): Record<string, string> | undefined {
  try {
    return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(values[i] ?? '')]))
  } catch {
    return undefined
  }
}

async function handleSafely(route: Route, ctx: RouteContext, report: FaultReporter): Promise<Response> {
  try {
    return await route.handle(ctx)
  } catch (error) {
    return failureResponse(error, report, { where: ctx.url.pathname, requestId: ctx.info.requestId })
  }
}

function withoutBody(response: Response): Response {
  void response.body?.cancel()
  return new Response(null, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  })
}
