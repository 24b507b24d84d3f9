import { exceptionGroupOf } from '../domain/exception-fingerprint.js'
import type { StoredEvent } from '../store/index.js'

/**
 * An event's exception group id ('' for other scopes): a pushed event carries it (computed once
 * for all its subscribers); a read row gets it from the same function the stored column agrees with.
 */
export function groupIdOf(e: StoredEvent): string {
  return (e as { exceptionGroup?: string }).exceptionGroup ?? exceptionGroupOf(e.scope, e.payload)
}
