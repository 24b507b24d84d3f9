import { builder } from '../builder.js'
import { compareKeys } from '../domain/productivity-order.js'
import { checkGroups, checkOverflow, MAX_PRODUCTIVITY_GROUPS } from '../domain/productivity-input.js'
import type { IdleGapBucket, IdleGapRow } from '../domain/productivity.js'
import { MS_PER_HOUR } from '../domain/units.js'
import { badInput } from '../errors.js'
import { aggregationScope } from './aggregation-scope.js'
import { EventFilterInput } from './event-filter.js'
import { keyFields, ProductivityGroupEnum } from './productivity.js'

const IdleGapBucketType = builder.objectRef<IdleGapBucket>('IdleGapBucket').implement({
  description: 'Gaps between consecutive client events of a person lasting [fromSeconds, toSeconds).',
  fields: (t) => ({
    fromSeconds: t.int({ resolve: (b) => b.fromSeconds }),
    toSeconds: t.int({
      nullable: true,
      description: 'null for the last bucket: and longer.',
      resolve: (b) => b.toSeconds,
    }),
    label: t.string({
      description: "The bucket as text: '0–10 s', …, '900 s+'.",
      resolve: (b) => (b.toSeconds === null ? `${b.fromSeconds} s+` : `${b.fromSeconds}–${b.toSeconds} s`),
    }),
    gaps: t.float({ description: 'How many gaps.', resolve: (b) => b.gaps }),
    seconds: t.float({ description: 'Their total length.', resolve: (b) => b.seconds }),
    hours: t.float({ description: 'Their total length in hours.', resolve: (b) => b.seconds / 3600 }),
  }),
})

interface HoursAt {
  readonly idleSeconds: number
  readonly ms: number
}

const WorkingHoursAtType = builder.objectRef<HoursAt>('WorkingHoursAt').implement({
  description: "Working time recomputed by CVAT's rule with this idle cutoff.",
  fields: (t) => ({
    idleSeconds: t.int({ resolve: (w) => w.idleSeconds }),
    hours: t.float({ resolve: (w) => w.ms / MS_PER_HOUR }),
  }),
})

const IdleGapRowType = builder.objectRef<IdleGapRow>('IdleGapRow').implement({
  description:
    "Where a group's time went: the gaps between each person's consecutive client events, and the working time they leave at cutoffs of 60, 100, 300 and 900 s.",
  fields: (t) => ({
    ...keyFields(t),
    buckets: t.field({ type: [IdleGapBucketType], resolve: (r) => r.buckets }),
    workingHoursAt: t.field({ type: [WorkingHoursAtType], resolve: (r) => r.workingMsAt }),
  }),
})

builder.queryField('idleGaps', (t) =>
  t.field({
    type: [IdleGapRowType],
    description:
      "The histogram of gaps between a person's consecutive client events (edges 0, 10, 30, 60, 100, 300, 900 s), and working time at four idle cutoffs: why working time looks low. Range as for `activity`.",
    args: {
      filter: t.arg({ type: EventFilterInput, required: false }),
      groupBy: t.arg({ type: [ProductivityGroupEnum], required: false, defaultValue: ['user'] }),
      first: t.arg.int({
        required: false,
        defaultValue: 100,
        description: 'Most rows (at most MAX_PAGE_SIZE).',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const first = args.first ?? 100
      const max = ctx.limits.maxPageSize
      if (first < 1 || first > max) throw badInput(`first must be from 1 to ${max}`, { field: 'first' })
      const groups = checkGroups(args.groupBy ?? ['user'], 'groupBy')
      const { filter, range } = aggregationScope(ctx, args.filter)
      const answer = await ctx.store.productivity.idleGaps({
        filter,
        ...range,
        groups,
        maxGroups: MAX_PRODUCTIVITY_GROUPS,
      })
      checkOverflow(answer.overflow, 'groupBy')
      return answer.rows.sort(compareKeys).slice(0, first)
    },
  }),
)
