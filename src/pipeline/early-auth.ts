import type { Plugin } from 'graphql-yoga'
import type { Authenticator } from '../auth/access.js'
import { accessOf } from '../context.js'
import { AppError, toAppError } from '../errors.js'
import type { FaultReporter } from '../observability/faults.js'
import { requestInfoOf } from '../transports/request-info.js'

/**
 * Authenticates a GraphQL request as soon as its parameters are read, before its document is
 * parsed or validated: an anonymous caller or a wrong credential gets 401 (a refused
 * organization 403, too many failures 429) and learns nothing of the schema, not even from
 * parse or validation messages. The answer is kept per request, so the context reuses it.
 */
export function useEarlyAuthentication(auth: Authenticator, report: FaultReporter): Plugin {
  return {
    async onParams({ request, setResult }) {
      const info = requestInfoOf(request)
      try {
        await accessOf(auth, info)
      } catch (error) {
        const coded = toAppError(error)
        if (coded instanceof AppError) {
          setResult({ errors: [coded] })
          return
        }
        report(error, { where: 'graphql', requestId: info.requestId })
        throw error // masked by yoga
      }
    },
  }
}
