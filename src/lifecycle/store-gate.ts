import type { StoreReadiness } from './store-readiness.js'
import { StoreUnavailableError, type Store } from '../store/index.js'

/** The members of the Store that are not query families: they work whatever the readiness. */
const UNGATED = new Set<string>(['kind', 'statementCounts', 'migrate', 'ping', 'close'])

/**
 * The store as the rest of the service uses it: every query family (events, analytics, entities,
 * exports, ingest, bulk, and any family added later) first asks the readiness, so until the
 * schema is migrated a read fails fast with STORE_UNAVAILABLE and an insert is spooled, instead
 * of reaching tables that may not exist. A failure that says the schema went away (a server
 * restarted on an empty volume) sends the readiness back to migrating.
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
      if (result instanceof Promise) {
        return result.catch((error: unknown) => {
          if (error instanceof StoreUnavailableError && error.reason === 'schema-missing') {
            readiness.lost(error.message)
          }
          throw error
        })
      }
      return result
    }
  }
  return gated
}
