import { json } from './responses.js'
import type { Route } from './route.js'

/** `GET /health`: the process is up (no dependency checked). */
export const healthRoute: Route = {
  method: 'GET',
  path: '/health',
  handle: () => Promise.resolve(json(200, { status: 'ok' })),
}

/** `GET /ready`: the store answers; 503 otherwise, with the spool backlog for operators. */
export const readyRoute: Route = {
  method: 'GET',
  path: '/ready',
  async handle({ services }) {
    const storeUp = await services.store.ping()
    const body = {
      status: storeUp ? 'ready' : 'unavailable',
      store: services.store.kind,
      spoolBacklog: services.writer.spoolBacklog,
    }
    return json(storeUp ? 200 : 503, body)
  },
}
