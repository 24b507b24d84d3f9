import type { Plugin } from 'graphql-yoga'
import type { Authenticator } from '../auth/access.js'
import { accessOf } from '../context.js'
import type { RequestRate } from '../auth/rate-limits.js'
import { requestInfoOf } from '../transports/request-info.js'

/**
 * Counts every GraphQL operation against its principal's budget (RATE_LIMIT_GRAPHQL)
 * before it is parsed: past it, 429 with `Retry-After`. Runs after useEarlyAuthentication, which
 * answers callers that are not authenticated. The refusal is thrown, not set as the result: yoga
 * runs every onParams hook and the last result set wins, so the response cache's hit would
 * replace it and a cached query would never be limited.
 */
export function useOperationRate(auth: Authenticator, rate: RequestRate): Plugin {
  return {
    async onParams({ request }) {
      const access = await accessOf(auth, requestInfoOf(request)).catch(() => null)
      if (access === null) return
      await rate.consume(access)
    },
  }
}
