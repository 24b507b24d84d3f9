import { builder } from '../builder.js'
import { MS_PER_HOUR } from '../domain/units.js'
import { badInput } from '../errors.js'
import type { WorkingTimeDimension, WorkingTimeRow } from '../store/index.js'
import { aggregationScope } from './aggregation-scope.js'
import { EventFilterInput } from './event-filter.js'

export const WorkingTimeDimensionEnum = builder.enumType('WorkingTimeDimension', {
  values: {
    USER: { value: 'user' },
    PROJECT: { value: 'project' },
    TASK: { value: 'task' },
    JOB: { value: 'job' },
  } as const,
})

const WorkingTimeRowType = builder.objectRef<WorkingTimeRow>('WorkingTimeRow').implement({
  description:
    'Working time of one group. Ids are null when not grouped by them, or for events without them.',
  fields: (t) => ({
    userId: t.id({ nullable: true, resolve: (r) => r.userId }),
    userName: t.string({ nullable: true, resolve: (r) => r.userName }),
    projectId: t.id({ nullable: true, resolve: (r) => r.projectId }),
    taskId: t.id({ nullable: true, resolve: (r) => r.taskId }),
    jobId: t.id({ nullable: true, resolve: (r) => r.jobId }),
    milliseconds: t.float({
      description: "Sum of the send:working_time events: CVAT's working time.",
      resolve: (r) => r.ms,
    }),
    hours: t.float({ resolve: (r) => r.ms / MS_PER_HOUR }),
    actions: t.float({
      description: 'Client events (what the person did), not batches.',
      resolve: (r) => r.actions,
    }),
  }),
})

builder.queryField('workingTime', (t) =>
  t.field({
    type: [WorkingTimeRowType],
    description:
      'Working time and actions grouped by any of user, project, task and job, largest first. Range as for `activity`.',
    args: {
      filter: t.arg({ type: EventFilterInput, required: false }),
      groupBy: t.arg({
        type: [WorkingTimeDimensionEnum],
        required: false,
        defaultValue: ['user', 'project', 'task', 'job'],
      }),
      first: t.arg.int({
        required: false,
        defaultValue: 1000,
        description: 'Most rows (at most MAX_PAGE_SIZE).',
      }),
    },
    resolve: (_root, args, ctx) => {
      const first = args.first ?? 1000
      const max = ctx.limits.maxPageSize
      if (first < 1 || first > max) throw badInput(`first must be from 1 to ${max}`, { field: 'first' })
      const { filter } = aggregationScope(ctx, args.filter)
      const dimensions: readonly WorkingTimeDimension[] = args.groupBy ?? ['user', 'project', 'task', 'job']
      return ctx.store.analytics.workingTime(filter, dimensions, first)
    },
  }),
)
