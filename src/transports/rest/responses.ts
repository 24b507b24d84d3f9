import { STATUS_CODES } from 'node:http'
import { AppError, toAppError } from '../../errors.js'
import type { FaultPlace, FaultReporter } from '../../observability/faults.js'

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return jsonText(status, JSON.stringify(body), headers)
}

/** A JSON response of text already serialised. */
export function jsonText(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    statusText: STATUS_CODES[status] ?? '',
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  })
}

/** The REST shape of an error: the status and headers of the AppError, its message, code and details. */
export function errorResponse(error: AppError): Response {
  const { code: _code, http, ...details } = error.extensions as Record<string, unknown>
  const headers = (http as { headers?: Record<string, string> } | undefined)?.headers ?? {}
  return json(error.status, { message: error.message, code: error.code, ...details }, headers)
}

/**
 * The answer to anything a REST handler threw: coded errors as themselves; anything else is
 * reported (logged, counted, stored as a send:exception event) and answered 500 without details.
 */
export function failureResponse(error: unknown, report: FaultReporter, place: FaultPlace): Response {
  const mapped = toAppError(error)
  if (mapped instanceof AppError) return errorResponse(mapped)
  report(error, place)
  return json(500, {
    message: 'internal error; the request id identifies it in the service log',
    code: 'INTERNAL',
  })
}
