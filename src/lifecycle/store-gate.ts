import { describeGaps, type StoreReadiness } from './store-readiness.js'
import { mayMeanMissingColumn, StoreUnavailableError, type Store } from '../store/index.js'

/** The members of the Store that are not query families: they work whatever the readiness. */
const UNGATED = new Set<string>(['kind', 'statementCounts', 'migrate', 'schemaGaps', 'ping', 'close'])

/**
 * The store as the rest of the service uses it: every query family (events, analytics, entities,
 * exports, ingest, bulk, and any family added later) first asks the readiness, so until the
 * schema is migrated a read fails fast with STORE_UNAVAILABLE and an insert is spooled, instead
 * of reaching tables that may not exist. A failure that says the schema went away (a server
 * restarted on an empty volume, CVAT's test fixture dropping every table) sends the readiness back
 * to migrating; one naming a column the engine does not know does so once a look at the schema
 * finds it incomplete (CVAT's DDL recreated `events` without our columns). Either is then answered
 * as the store being unavailable (503, or an insert spooled), not as a fault.
 */
export function gateStore(store: Store, readiness: StoreReadiness): Store {
  const gated: Record<string, unknown> = {}
  for (const [name, member] of Object.entries(store)) {
    gated[name] = UNGATED.has(name) || !isFamily(member) ? member : gateFamily(member, readiness)
  }
  return gated as unknown as Store
}

function isFamily(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !(value instanceof Map)
}

function gateFamily(family: Record<string, unknown>, readiness: StoreReadiness): Record<string, unknown> {
  const gated: Record<string, unknown> = {}
  for (const [name, member] of Object.entries(family)) {
    if (typeof member !== 'function') {
      gated[name] = member
      continue
    }
    const call = member as (...args: unknown[]) => unknown
    gated[name] = (...args: unknown[]) => {
      readiness.assertReady()
      const result = call(...args)
      if (result instanceof Promise) return result.catch((error: unknown) => noticing(error, readiness))
      if (isAsyncIterable(result)) return noticingStream(result, readiness)
      return result
    }
  }
  return gated
}

/** Rethrows a family's error, first sending the readiness back to migrating if it says the schema went away. */
async function noticing(error: unknown, readiness: StoreReadiness): Promise<never> {
  if (error instanceof StoreUnavailableError && error.reason === 'schema-missing') {
    readiness.lost(error.message)
  } else if (mayMeanMissingColumn(error)) {
    const gaps = await readiness.verify()
    if (gaps.length > 0) {
      throw new StoreUnavailableError(`the schema is missing ${describeGaps(gaps)}`, {
        reason: 'schema-missing',
        cause: error,
      })
    }
  }
  throw error
}

/** A stream (an export's rows) whose failure is noticed as a promise's is. */
async function* noticingStream<T>(stream: AsyncIterable<T>, readiness: StoreReadiness): AsyncGenerator<T> {
  try {
    yield* stream
  } catch (error) {
    await noticing(error, readiness)
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === 'object' && Symbol.asyncIterator in value
}
