import { builder } from '../builder.js'
import { withScopes } from '../domain/filter.js'
import { badInput } from '../errors.js'
import { EXCEPTION_SCOPE } from '../domain/scopes.js'
import type { ExceptionGroupSeries } from '../store/index.js'
import { seriesFields, type ActivityRequest } from './activity.js'
import { aggregationScope, seriesInterval } from './aggregation-scope.js'
import { EventFilterInput } from './event-filter.js'
import { TimeBucketType } from './time-bucket.js'

const GroupSeriesType = builder.objectRef<ExceptionGroupSeries>('ExceptionGroupSeries').implement({
  description: 'One exception group over time.',
  fields: (t) => ({
    groupId: t.id({ description: 'Its `ExceptionGroup` id.', resolve: (s) => s.groupId }),
    count: t.float({ description: 'Occurrences in the range.', resolve: (s) => s.count }),
    buckets: t.field({ type: [TimeBucketType], resolve: (s) => s.buckets }),
  }),
})

const ExceptionsOverTimeType = builder.objectRef<ActivityRequest>('ExceptionsOverTime').implement({
  description: 'Reported errors per interval over the range; every bucket is present (gaps are zeros).',
  fields: (t) => ({
    ...seriesFields(t, 'One series per user who reported errors in the range.'),
    byGroup: t.field({
      type: [GroupSeriesType],
      description:
        'One series per exception group: the `first` most frequent in the range, most frequent first.',
      args: { first: t.arg.int({ required: false, defaultValue: 10 }) },
      resolve: (a, args, ctx) => {
        const first = args.first ?? 10
        const max = ctx.limits.maxPageSize
        if (first < 1 || first > max) throw badInput(`first must be from 1 to ${max}`, { field: 'first' })
        return ctx.store.exceptions.groupSeries(a.filter, a.range, a.intervalMs, first)
      },
    }),
  }),
})

builder.queryField('exceptionsOverTime', (t) =>
  t.field({
    type: ExceptionsOverTimeType,
    description:
      'Reported errors per interval (gaps are zeros), in total, by user or by group. Range as for `activity`.',
    args: {
      filter: t.arg({ type: EventFilterInput, required: false }),
      interval: t.arg.string({ required: true }),
    },
    resolve: (_root, args, ctx) => {
      const { filter, range } = aggregationScope(ctx, args.filter)
      return {
        filter: withScopes(filter, [EXCEPTION_SCOPE]),
        range,
        intervalMs: seriesInterval(ctx, range, args.interval),
      }
    },
  }),
)
