import { LRUCache } from 'lru-cache'

/**
 * Reads whose answer serves many callers (an organization's whole view, which each caller then
 * narrows to its own): identical reads under way are run once, and a finished answer is reused
 * for `ttlMs`, the response cache's TTL, so within it a reader may miss events stored meanwhile,
 * as a cached answer does. Failures are never kept: the next caller reads again.
 */
export interface SharedReads {
  read<T>(key: string, compute: () => Promise<T>): Promise<T>
}

export function createSharedReads(
  ttlMs: number,
  now: () => number = Date.now,
  maxEntries = 256,
): SharedReads {
  const kept =
    ttlMs > 0 ? new LRUCache<string, { value: unknown; untilMs: number }>({ max: maxEntries }) : null
  const running = new Map<string, Promise<unknown>>()
  return {
    read<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const done = kept?.get(key)
      if (done && done.untilMs > now()) return Promise.resolve(done.value as T)
      const under = running.get(key)
      if (under) return under as Promise<T>
      const reading = compute().then(
        (value) => {
          running.delete(key)
          kept?.set(key, { value, untilMs: now() + ttlMs })
          return value
        },
        (error: unknown) => {
          running.delete(key)
          throw error
        },
      )
      running.set(key, reading)
      return reading
    },
  }
}
