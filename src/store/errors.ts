/** The store could not be reached (network, refused connection): the caller may spool and retry. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreUnavailableError'
  }
}

/** The engine cancelled a query that ran longer than its timeout. */
export class QueryTimeoutError extends Error {
  constructor(
    readonly queryName: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`query '${queryName}' exceeded its ${timeoutMs} ms timeout`, options)
    this.name = 'QueryTimeoutError'
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
])

// ClickHouse error codes: https://github.com/ClickHouse/ClickHouse/blob/master/src/Common/ErrorCodes.cpp
const TIMEOUT_EXCEEDED = '159'

/** Maps what @clickhouse/client (over HTTP or chDB) throws to the store's own errors. */
export function mapEngineError(error: unknown, queryName: string, timeoutMs: number): Error {
  if (!(error instanceof Error)) return new Error(String(error))
  const code = (error as { code?: unknown }).code
  if (code === TIMEOUT_EXCEEDED || /Timeout error/i.test(error.message)) {
    return new QueryTimeoutError(queryName, timeoutMs, { cause: error })
  }
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) {
    return new StoreUnavailableError(`ClickHouse is unreachable: ${error.message}`, { cause: error })
  }
  if (/socket hang up|ECONNREFUSED|connect ECONN|other side closed/i.test(error.message)) {
    return new StoreUnavailableError(`ClickHouse is unreachable: ${error.message}`, { cause: error })
  }
  return error
}
