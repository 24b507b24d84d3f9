import type { TimeRange } from './filter.js'

/** Buckets the range spans at `intervalMs`, aligned to the epoch (UTC): the gap-filled x axis. */
export function bucketStarts(range: TimeRange, intervalMs: number): number[] {
  const first = Math.floor(range.from / intervalMs) * intervalMs
  const last = Math.floor(range.to / intervalMs) * intervalMs
  const starts: number[] = []
  for (let t = first; t <= last; t += intervalMs) starts.push(t)
  return starts
}
