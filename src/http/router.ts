import type { Plugin } from 'graphql-yoga'
import { AppError, toAppError } from '../errors.js'
import type { Services } from '../services.js'
import { clientAddressOf } from './client-address.js'
import { requestIdOf } from './request-id.js'
import { errorResponse, json } from './responses.js'
import type { Route, RouteContext } from './route.js'

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
export function useRoutes(services: Services, routes: readonly Route[], graphqlPath: string): Plugin {
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
      const params = Object.fromEntries(
        found.names.map((name, i) => [name, decodeURIComponent(found.values[i] ?? '')]),
      )
      const ctx: RouteContext = { request, url, params, services, remoteAddr: clientAddressOf(request) }
      const response = await handleSafely(found.route, ctx)
      event.endResponse(request.method === 'HEAD' ? withoutBody(response) : response)
    },
  }
}

async function handleSafely(route: Route, ctx: RouteContext): Promise<Response> {
  try {
    return await route.handle(ctx)
  } catch (error) {
    const mapped = toAppError(error)
    if (mapped instanceof AppError) return errorResponse(mapped)
    ctx.services.log.error('request failed', {
      path: ctx.url.pathname,
      requestId: requestIdOf(ctx.request),
      error,
    })
    return json(500, {
      message: 'internal error; the request id identifies it in the service log',
      code: 'INTERNAL',
    })
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
