import { authorize } from '../auth/policy.js'
import type { Context } from '../context.js'
import { AppError } from '../errors.js'
import type { AuthorizedFilter, TimeRange } from '../domain/filter.js'
import { parseInterval, withRange } from '../domain/aggregation-input.js'
import { toEventFilter, type EventFilterInputShape } from './event-filter.js'

/** What an aggregation runs over: the authorized filter and its (always bounded) time range. */
export interface AggregationScope {
  readonly filter: AuthorizedFilter
  readonly range: TimeRange
}

export function aggregationScope(
  ctx: Context,
  input: EventFilterInputShape | null | undefined,
): AggregationScope {
  const { filter, range } = withRange(toEventFilter(input), ctx.nowMs)
  return { filter: authorize(ctx.access, filter), range }
}

/** An interval for a series over `range`, refused when it would make more than MAX_BUCKETS points. */
export function seriesInterval(ctx: Context, range: TimeRange, text: string, argument = 'interval'): number {
  const intervalMs = parseInterval(text, argument)
  const buckets = Math.floor(range.to / intervalMs) - Math.floor(range.from / intervalMs) + 1
  const max = ctx.limits.maxBuckets
  if (buckets > max) {
    throw new AppError(
      'TOO_MANY_BUCKETS',
      400,
      `${argument}: ${text} over this range makes ${buckets} points; at most ${max} (MAX_BUCKETS) are allowed — widen the interval or narrow the range`,
      { field: argument },
    )
  }
  return intervalMs
}
