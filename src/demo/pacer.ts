import { setTimeout as sleep } from 'node:timers/promises'

/**
 * `max`: as fast as the sink takes sends. A number: simulated time runs that many times faster
 * than the wall clock from the start of the window (1 is real time, where simulated time is the
 * time of day and live views show the activity as it happens).
 */
export type Speed = 'max' | number

export interface Pacer {
  /** Waits until the wall clock reaches the moment `atMs` of simulated time is due; null when no wait is needed. */
  until(atMs: number): Promise<void> | null
  /** Wall milliseconds left to reach `atMs` (0 at full speed): for progress estimates. */
  remainingMs(atMs: number): number
}

export function createPacer(
  speed: Speed,
  windowStartMs: number,
  now: () => number = Date.now,
  signal?: AbortSignal,
): Pacer {
  if (speed === 'max') return { until: () => null, remainingMs: () => 0 }
  const wallStart = now()
  const due = (atMs: number) => wallStart + (atMs - windowStartMs) / speed
  return {
    until(atMs) {
      const wait = due(atMs) - now()
      if (wait <= 0) return null
      return sleep(wait, undefined, signal ? { signal } : {})
    },
    remainingMs: (atMs) => Math.max(0, due(atMs) - now()),
  }
}
