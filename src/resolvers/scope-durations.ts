import { builder } from '../builder.js'
import type { ScopeDuration } from '../store/index.js'
import { aggregationScope } from './aggregation-scope.js'
import { EventFilterInput } from './event-filter.js'

const ScopeDurationType = builder.objectRef<ScopeDuration>('ScopeDuration').implement({
  description: 'Events of one (scope, source) and their durations in milliseconds.',
  fields: (t) => ({
    scope: t.string({ resolve: (d) => d.scope }),
    source: t.string({ resolve: (d) => d.source }),
    count: t.float({ resolve: (d) => d.count }),
    avgDuration: t.float({ resolve: (d) => d.avgMs }),
    minDuration: t.float({ resolve: (d) => d.minMs }),
    maxDuration: t.float({ resolve: (d) => d.maxMs }),
  }),
})

builder.queryField('scopeDurations', (t) =>
  t.field({
    type: [ScopeDurationType],
    description:
      'Events per (scope, source) with average, minimum and maximum duration, most frequent first. Range as for `activity`.',
    args: { filter: t.arg({ type: EventFilterInput, required: false }) },
    resolve: (_root, args, ctx) =>
      ctx.store.analytics.scopeDurations(aggregationScope(ctx, args.filter).filter),
  }),
)
