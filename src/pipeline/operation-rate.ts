import type { Plugin } from 'graphql-yoga'
import type { Authenticator } from '../auth/access.js'
import { accessOf } from '../context.js'
import type { RequestRate } from '../auth/rate-limits.js'
import { requestInfoOf } from '../transports/request-info.js'

/**
 * Counts every GraphQL operation against its principal's budget (RATE_LIMIT_GRAPHQL)
 * before it is parsed: past it, 429 with `Retry-After`. Runs after useEarlyAuthentication, which
 * answers callers that are not authenticated.
 */
export function useOperationRate(auth: Authenticator, rate: RequestRate): Plugin {
  return {
    async onParams({ request, setResult }) {
      const access = await accessOf(auth, requestInfoOf(request)).catch(() => null)
      if (access === null) return
      try {
        await rate.consume(access)
      } catch (error) {
        setResult({ errors: [error as never] })
      }
    },
  }
}
