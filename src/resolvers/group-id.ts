import type { Context } from '../context.js'
import { exceptionGroupOf } from '../domain/exception-fingerprint.js'
import { EXCEPTION_SCOPE } from '../domain/scopes.js'
import type { StoredEvent } from '../store/index.js'
import { withPayload } from './event-texts.js'

/**
 * An event's exception group id ('' for other scopes): a pushed event carries it (computed once
 * for all its subscribers); a read row gets it from the same function the stored column agrees with.
 */
export function groupIdOf(e: StoredEvent): string {
  return (e as { exceptionGroup?: string }).exceptionGroup ?? exceptionGroupOf(e.scope, e.payload)
}

/** The same for a field: an exception whose payload a page left out has it fetched first. */
export async function groupIdOfField(ctx: Context, e: StoredEvent): Promise<string> {
  return e.scope === EXCEPTION_SCOPE ? groupIdOf(await withPayload(ctx, e)) : ''
}
