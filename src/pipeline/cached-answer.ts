import type { ExecutionResult } from 'graphql'

const CACHED = Symbol('cached answer')

/**
 * An answer served from the response cache: its JSON text as it was first written out, which
 * yoga sends as is (a result's `stringify`), so a hit never walks or serialises an object. Its
 * `data` is parsed only if some code reads it.
 */
export function cachedAnswer(text: string): ExecutionResult {
  let data: ExecutionResult['data'] | undefined
  return {
    get data() {
      data ??= (JSON.parse(text) as ExecutionResult).data
      return data
    },
    stringify: () => text,
    [CACHED]: true,
  } as ExecutionResult
}

/** Whether a result came from the response cache (already checked when it was first computed). */
export function isCachedAnswer(result: unknown): boolean {
  return typeof result === 'object' && result !== null && CACHED in result
}
