import type { Plugin } from 'graphql-yoga'
import type { Authenticator } from '../auth/access.js'
import { canScrapeMetrics } from '../auth/principal.js'
import { accessOf } from '../context.js'
import { forbidden } from '../errors.js'
import type { FaultReporter } from '../observability/faults.js'
import { requestInfoOf } from '../transports/request-info.js'
import { errorResponse, failureResponse } from '../transports/rest/responses.js'

/** Where Prometheus scrapes (yoga's Prometheus plugin answers there once this guard lets a request through). */
export const METRICS_PATH = '/metrics'

/**
 * `GET /metrics` needs a credential: a `metrics` token (`Authorization: Bearer aat_…`, what
 * Prometheus is configured with) or an admin's own sign-in. Anonymous or wrong credentials get
 * 401 with the basic-auth challenge, any other principal 403; the figures name users' requests,
 * operations and failures, which are not for everyone who reaches the port (behind CVAT's Traefik,
 * the whole internet). Must come before usePrometheus in the plugin list: the first plugin to end
 * a response wins.
 */
export function useMetricsAccess(auth: Authenticator, report: FaultReporter): Plugin {
  return {
    async onRequest(event) {
      const { request, url } = event
      if (url.pathname !== METRICS_PATH) return
      const info = requestInfoOf(request)
      try {
        const { principal } = await accessOf(auth, info)
        if (!canScrapeMetrics(principal)) {
          event.endResponse(errorResponse(forbidden('/metrics needs a metrics token or an admin')))
        }
      } catch (error) {
        event.endResponse(failureResponse(error, report, { where: METRICS_PATH, requestId: info.requestId }))
      }
    },
  }
}
