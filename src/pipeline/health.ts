import { useReadinessCheck, type Plugin } from 'graphql-yoga'
import type { FaultReporter } from '../observability/faults.js'
import { json } from '../transports/rest/responses.js'
import { requestIdOf } from './request-id.js'

/** Where the process answers that it is up, and where that it can serve (the store answers). */
export const HEALTH_PATH = '/health'
export const READY_PATH = '/ready'

export interface HealthOptions {
  /** What /ready reports: whether the store is ready and answers, why not (`cause`), and the details operators look at. */
  readonly readiness: () => Promise<{ ready: boolean; details: Record<string, unknown> }>
  /** Told when asking the readiness fails (yoga's check would answer 503 and tell no one). */
  readonly report: FaultReporter
}

/**
 * `GET /health`: the process is up (no dependency checked). `GET /ready`: the store is migrated
 * and answers (503 otherwise, naming the cause), with details. Both are yoga's readiness plugin answering our JSON; yoga's own health
 * check is moved out of the way in buildApp, since it answers an empty body.
 */
export function useHealthEndpoints(options: HealthOptions): Plugin[] {
  const startedAt = Date.now()
  return [
    useReadinessCheck({
      endpoint: HEALTH_PATH,
      check: () => json(200, { status: 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }),
    }),
    useReadinessCheck({
      endpoint: READY_PATH,
      check: async ({ request }) => {
        try {
          const { ready, details } = await options.readiness()
          return json(ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', ...details })
        } catch (error) {
          const requestId = requestIdOf(request)
          options.report(error, { where: READY_PATH, requestId })
          return json(503, {
            status: 'unavailable',
            cause: 'internal error; the request id identifies it in the service log',
          })
        }
      },
    }),
  ]
}
