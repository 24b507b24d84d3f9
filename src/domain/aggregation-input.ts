import { badInput } from '../errors.js'
import type { EventFilter, TimeRange } from './filter.js'

/** Aggregations without `from` look back this far from `to` (which defaults to now). */
export const DEFAULT_WINDOW_MS = 7 * 24 * 3_600_000

/**
 * Every aggregation runs over a time range, so none scans the whole table by accident (CVAT's
 * "active users" panel did): a missing `to` is now, a missing `from` is a week before `to`.
 */
export function withRange(filter: EventFilter, nowMs: number): { filter: EventFilter; range: TimeRange } {
  const to = filter.to ?? nowMs
  const from = filter.from ?? to - DEFAULT_WINDOW_MS
  return { filter: { ...filter, from, to }, range: { from, to } }
}

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

/** Grafana's interval forms: `30s`, `15m`, `1h`, `1d`, `250ms`, or plain milliseconds (`$__interval_ms`). */
export function parseInterval(text: string, argument = 'interval'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/.exec(text)
  const unit = UNITS[match?.[2] ?? 'ms']
  const ms = match && unit ? Math.round(Number(match[1]) * unit) : NaN
  if (!Number.isFinite(ms) || ms < 1) {
    throw badInput(`${argument}: '${text}' is not an interval (e.g. 30s, 15m, 1h, 1d, or milliseconds)`, {
      field: argument,
    })
  }
  return ms
}
