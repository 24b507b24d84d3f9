import { builder, type SchemaTypes } from '../builder.js'
import type { AuthorizedFilter, TimeRange } from '../domain/filter.js'
import type { EntitySeries } from '../store/index.js'
import { aggregationScope, seriesInterval } from './aggregation-scope.js'
import { EventFilterInput } from './event-filter.js'
import { TimeBucketType } from './time-bucket.js'

/** A series request; its fields run their queries only when selected. */
export interface ActivityRequest {
  readonly filter: AuthorizedFilter
  readonly range: TimeRange
  readonly intervalMs: number
}

export const UserSeriesType = builder.objectRef<EntitySeries>('UserActivitySeries').implement({
  description: "One user's events over time.",
  fields: (t) => ({
    userId: t.id({ nullable: true, resolve: (s) => s.id }),
    userName: t.string({ nullable: true, resolve: (s) => s.name }),
    buckets: t.field({ type: [TimeBucketType], resolve: (s) => s.buckets }),
  }),
})

/** One user's events in one bucket: a row of the per-user series in time order. */
export interface UserPoint {
  readonly startMs: number
  readonly userId: string | null
  readonly user: string
  readonly count: number
}

export const UserPointType = builder.objectRef<UserPoint>('UserActivityPoint').implement({
  description: "One user's events in one bucket.",
  fields: (t) => ({
    time: t.field({ type: 'DateTime', description: 'Start of the bucket.', resolve: (p) => p.startMs }),
    userId: t.id({ nullable: true, resolve: (p) => p.userId }),
    user: t.string({
      description:
        'The user as a chart labels it: the name at the latest event, else the id ("" without either).',
      resolve: (p) => p.user,
    }),
    count: t.float({ description: 'Events.', resolve: (p) => p.count }),
  }),
})

/**
 * Per-user series as rows in time order (then user order), every bucket of every user, as a
 * chart of many series reads them (Grafana's long format: the `user` column names the series)
 * without sorting: the series share their buckets, so the rows are laid out bucket by bucket.
 */
export function pointsInTimeOrder(series: readonly EntitySeries[]): UserPoint[] {
  const labels = series.map((s) => s.name ?? s.id ?? '')
  const starts = series[0]?.starts ?? []
  const points = new Array<UserPoint>(starts.length * series.length)
  let p = 0
  for (let i = 0; i < starts.length; i++) {
    for (let k = 0; k < series.length; k++) {
      const s = series[k] as EntitySeries
      points[p++] = {
        startMs: starts[i] as number,
        userId: s.id,
        user: labels[k] as string,
        count: s.counts[i] as number,
      }
    }
  }
  return points
}

/**
 * The fields every series over a range has (activity, exceptions over time): its interval and
 * bounds, the overall buckets and one series per user, described for the type that has them.
 */
export function seriesFields(
  t: PothosSchemaTypes.ObjectFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<SchemaTypes>, ActivityRequest>,
  byUser: string,
) {
  return {
    intervalMs: t.float({ resolve: (a) => a.intervalMs }),
    from: t.field({ type: 'DateTime', resolve: (a) => a.range.from }),
    to: t.field({ type: 'DateTime', resolve: (a) => a.range.to }),
    buckets: t.field({
      type: [TimeBucketType],
      resolve: (a, _args, ctx) => ctx.store.analytics.activity(a.filter, a.range, a.intervalMs),
    }),
    byUser: t.field({
      type: [UserSeriesType],
      description: byUser,
      resolve: (a, _args, ctx) =>
        ctx.store.analytics.activityByEntity(a.filter, a.range, a.intervalMs, 'user'),
    }),
    byUserPoints: t.field({
      type: [UserPointType],
      description: `${byUser} As rows in time order, every bucket of every user: what a time-series panel of many series reads as it is.`,
      resolve: async (a, _args, ctx) =>
        pointsInTimeOrder(
          await ctx.store.analytics.activityByEntity(a.filter, a.range, a.intervalMs, 'user'),
        ),
    }),
  }
}

export const ActivityType = builder.objectRef<ActivityRequest>('ActivityOverTime').implement({
  description:
    'Events and distinct users per interval over the range; every bucket is present (gaps are zeros).',
  fields: (t) =>
    seriesFields(t, 'One series per user active in the range (the Management dashboard’s user activity).'),
})

builder.queryField('activity', (t) =>
  t.field({
    type: ActivityType,
    description:
      'Events over time. Without `filter.from` the range is the week before `filter.to` (default now).',
    args: {
      filter: t.arg({ type: EventFilterInput, required: false }),
      interval: t.arg.string({
        required: true,
        description: 'Bucket width: 30s, 15m, 1h, 1d, or milliseconds (Grafana’s $__interval).',
      }),
    },
    resolve: (_root, args, ctx) => {
      const { filter, range } = aggregationScope(ctx, args.filter)
      return { filter, range, intervalMs: seriesInterval(ctx, range, args.interval) }
    },
  }),
)
