import { LRUCache } from 'lru-cache'

/**
 * Reads whose answer serves many callers (an organization's whole view, which each caller then
 * narrows to its own): identical reads under way are run once, and a finished answer is reused
 * for `ttlMs`, the response cache's TTL, so within it a reader may miss events stored meanwhile,
 * as a cached answer does. Failures are never kept: the next caller reads again.
 */
export interface SharedReads {
  read<T>(key: string, compute: () => Promise<T>): Promise<T>
  /** The answer of `key` when one is kept or under way, else undefined (nothing is read). */
  joined<T>(key: string): Promise<T> | undefined
  /**
   * Counts an ask of `key` (a kind of read and its range, whoever asks), and tells how many
   * there were within the TTL, this one included: 1 when answers are not kept.
   */
  asked(key: string): number
}

export function createSharedReads(
  ttlMs: number,
  now: () => number = Date.now,
  maxEntries = 256,
): SharedReads {
  const kept =
    ttlMs > 0 ? new LRUCache<string, { value: unknown; untilMs: number }>({ max: maxEntries }) : null
  const asks =
    ttlMs > 0 ? new LRUCache<string, { count: number; untilMs: number }>({ max: maxEntries }) : null
  const running = new Map<string, Promise<unknown>>()
  const joined = <T>(key: string): Promise<T> | undefined => {
    const done = kept?.get(key)
    if (done && done.untilMs > now()) return Promise.resolve(done.value as T)
    return running.get(key) as Promise<T> | undefined
  }
  return {
    joined,
    asked(key: string): number {
      if (!asks) return 1
      const at = now()
      const window = asks.get(key)
      if (window && window.untilMs > at) return (window.count += 1)
      asks.set(key, { count: 1, untilMs: at + ttlMs })
      return 1
    },
    read<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const under = joined<T>(key)
      if (under) return under
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
