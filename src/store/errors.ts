import { ClickHouseError } from '@clickhouse/client'
import {
  QueryTimeoutError,
  StoreConfigError,
  StoreUnavailableError,
  type UnavailableReason,
} from '../errors.js'

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
/** Refused credentials: UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD, AUTHENTICATION_FAILED. */
const CREDENTIAL_CODES = new Set(['192', '193', '194', '516'])
/** ACCESS_DENIED, NOT_ENOUGH_PRIVILEGES. */
const PRIVILEGE_CODES = new Set(['291', '497'])
/** UNKNOWN_TABLE, UNKNOWN_DATABASE. */
const SCHEMA_CODES = new Set(['60', '81'])
/**
 * NO_SUCH_COLUMN_IN_TABLE, UNKNOWN_IDENTIFIER: a column our schema adds is missing (a table
 * recreated with CVAT's DDL) — or a fault in a query. Only a look at the schema tells them apart
 * (Store.schemaGaps), so these stay errors here and the store gate asks.
 */
const COLUMN_CODES = new Set(['16', '47'])

/** Whether an error of the engine may mean a column of the schema is missing (see COLUMN_CODES). */
export function mayMeanMissingColumn(error: unknown): boolean {
  return error instanceof Error && COLUMN_CODES.has(String((error as { code?: unknown }).code))
}
/**
 * The server is there but cannot take this now: SOCKET_TIMEOUT, NETWORK_ERROR,
 * CANNOT_ALLOCATE_MEMORY, TOO_MANY_SIMULTANEOUS_QUERIES, NO_ZOOKEEPER, ABORTED,
 * MEMORY_LIMIT_EXCEEDED, TABLE_IS_READ_ONLY, TOO_MANY_PARTS, ALL_CONNECTION_TRIES_FAILED,
 * UNKNOWN_STATUS_OF_INSERT, QUERY_WAS_CANCELLED, KEEPER_EXCEPTION.
 */
const BUSY_CODES = new Set([
  '209',
  '210',
  '173',
  '202',
  '225',
  '236',
  '241',
  '242',
  '252',
  '279',
  '319',
  '394',
  '999',
])
/** NOT_ENOUGH_SPACE, and write errors whose message carries the OS's reason. */
const STORAGE_CODE = '243'
const STORAGE_MESSAGE = /No space left on device|Read-only file system|Permission denied|errno: (13|28|30)\b/i
/** What proxies (nginx, HAProxy, Envoy) answer while ClickHouse behind them is away. */
const GATEWAY_MESSAGE =
  /Bad Gateway|Service Unavailable|Gateway Time-?out|no healthy upstream|upstream connect error/i

/**
 * Maps what @clickhouse/client (over HTTP or chDB) throws to the store's own errors. `server`:
 * the error came from ClickHouse over HTTP, where an answer that is not ClickHouse's own error
 * text means something else answers at CLICKHOUSE_URL.
 */
export function mapEngineError(error: unknown, queryName: string, timeoutMs: number, server = false): Error {
  if (!(error instanceof Error)) return new Error(String(error))
  if (error instanceof StoreUnavailableError || error instanceof QueryTimeoutError) return error
  const code = (error as { code?: unknown }).code
  const unavailable = (reason: UnavailableReason, what: string) =>
    new StoreUnavailableError(`${what}: ${firstLine(error.message)}`, { cause: error, reason })
  if (code === TIMEOUT_EXCEEDED || /Timeout error/i.test(error.message)) {
    return new QueryTimeoutError(queryName, timeoutMs, { cause: error })
  }
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code))
    return unavailable('unreachable', 'ClickHouse is unreachable')
  if (/socket hang up|ECONNREFUSED|connect ECONN|other side closed/i.test(error.message)) {
    return unavailable('unreachable', 'ClickHouse is unreachable')
  }
  if (error instanceof ClickHouseError || typeof (error as { type?: unknown }).type === 'string') {
    const type = (error as { type?: string }).type ?? ''
    if (CREDENTIAL_CODES.has(String(code))) {
      return new StoreConfigError('credentials', `ClickHouse refused the credentials (${type})`, {
        cause: error,
      })
    }
    if (PRIVILEGE_CODES.has(String(code))) {
      return new StoreConfigError(
        'privileges',
        `ClickHouse denied a privilege (${type}): ${firstLine(error.message)}`,
        {
          cause: error,
        },
      )
    }
    if (SCHEMA_CODES.has(String(code))) return unavailable('schema-missing', 'the schema is missing')
    if (BUSY_CODES.has(String(code))) return unavailable('busy', `ClickHouse is busy (${type})`)
    if (String(code) === STORAGE_CODE || STORAGE_MESSAGE.test(error.message)) {
      return unavailable('storage', 'ClickHouse cannot write to its disk')
    }
    return error
  }
  if (STORAGE_MESSAGE.test(error.message) && /^Code: \d+/.test(error.message)) {
    return unavailable('storage', 'ClickHouse cannot write to its disk')
  }
  if (server && isAnswerOfSomethingElse(error)) {
    if (GATEWAY_MESSAGE.test(error.message))
      return unavailable('unreachable', 'a proxy answered for ClickHouse')
    return new StoreConfigError(
      'not-clickhouse',
      `something other than ClickHouse answered ${answerOf(error)}`,
      {
        cause: error,
      },
    )
  }
  return error
}

/**
 * @clickhouse/client turns an HTTP error answer that is not ClickHouse's error text into a plain
 * Error carrying the body as its message; Node's HTTP parser rejects what is not HTTP at all.
 */
function isAnswerOfSomethingElse(error: Error): boolean {
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') return code.startsWith('HPE_')
  return error.constructor === Error && error.message.trim() !== ''
}

/**
 * The embedded engine cannot be loaded on this platform (chDB has no build for it, or its
 * package is absent, as in the image built without it). Its message is the whole start-up line.
 */
export class EngineUnavailableError extends Error {}

export {
  QueryTimeoutError,
  StoreConfigError,
  StoreUnavailableError,
  type ConfigProblem,
  type UnavailableReason,
} from '../errors.js'

/** The first line of an answer, quoted and cut short, for a log line. */
export function answerOf(error: Error): string {
  return JSON.stringify(firstLine(error.message).slice(0, 120))
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? ''
}
