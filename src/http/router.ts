import type { Plugin } from 'graphql-yoga'
import { AppError, toAppError } from '../errors.js'
import type { Services } from '../services.js'
import { requestIdOf } from './request-id.js'
import { clientAddressOf } from './client-address.js'
import { errorResponse, json } from './responses.js'
import type { Route, RouteContext } from './route.js'

/**
 * Serves the REST routes inside yoga's request pipeline, so every transport shares one server,
 * one request-id stamp and one `fetch` for tests. `/graphql` passes through to yoga; any other
 * unknown path is a JSON 404.
 */
export function useRoutes(services: Services, routes: readonly Route[], graphqlPath: string): Plugin {
  return {
    async onRequest(event) {
      const { request, url } = event
      const endResponse = (response: Response) => event.endResponse(response)
      const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname
      if (path === graphqlPath) return
      const candidates = routes.filter((r) => r.path === path)
      const route = candidates.find((r) => r.method === request.method)
      if (!route) {
        endResponse(
          candidates.length > 0
            ? json(
                405,
                { message: `${request.method} is not allowed on ${path}` },
                { Allow: candidates.map((r) => r.method).join(', ') },
              )
            : json(404, { message: `no route for ${request.method} ${path}`, code: 'NOT_FOUND' }),
        )
        return
      }
      const ctx: RouteContext = {
        request,
        url,
        services,
        remoteAddr: clientAddressOf(request),
      }
      endResponse(await handleSafely(route, ctx))
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
