import { STATUS_CODES } from 'node:http'
import type { AppError } from '../errors.js'

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    statusText: STATUS_CODES[status] ?? '',
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  })
}

/** The REST shape of an error: the status of the AppError, its message, code and details. */
export function errorResponse(error: AppError): Response {
  const { code: _code, http: _http, ...details } = error.extensions as Record<string, unknown>
  return json(error.status, { message: error.message, code: error.code, ...details })
}
