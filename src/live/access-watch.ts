import type { LiveHub } from './hub.js'

export interface AccessWatchOptions {
  /** Looks for changed accounts (the accounts file: a stat, at most once a second). */
  readonly poll: () => Promise<void>
  /** Calls the listener after accounts changed; returns the undo. */
  readonly onChange: (listener: () => void) => () => void
  /** How often to poll while anyone is subscribed. @default 1000 */
  readonly pollMs?: number
  /**
   * How often to re-check every subscriber even without a change: identity sources with an
   * expiry of their own (CVAT's answers are cached for a TTL) are followed this way; 0: never.
   */
  readonly recheckMs: number
  /** Told about a failed poll (an unreadable accounts file keeps the last good one). */
  readonly onError: (error: unknown) => void
}

/**
 * Keeps open subscriptions in line with the accounts: polls for changes while anyone is
 * subscribed, and on every change (or every `recheckMs`) has the hub re-authenticate each
 * subscriber's credentials. Returns the stop function.
 */
export function watchAccess(hub: Pick<LiveHub, 'recheck' | 'size'>, options: AccessWatchOptions): () => void {
  const recheck = () => void hub.recheck().catch(options.onError)
  const undo = options.onChange(recheck)
  const poller = setInterval(() => {
    if (hub.size > 0) options.poll().catch(options.onError)
  }, options.pollMs ?? 1_000)
  poller.unref()
  const periodic =
    options.recheckMs > 0
      ? setInterval(() => {
          if (hub.size > 0) recheck()
        }, options.recheckMs)
      : undefined
  periodic?.unref()
  return () => {
    undo()
    clearInterval(poller)
    clearInterval(periodic)
  }
}
