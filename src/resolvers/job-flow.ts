import { authorize } from '../auth/policy.js'
import { builder } from '../builder.js'
import { withRange } from '../domain/aggregation-input.js'
import type { JobFlow, JobTransition, PerStage } from '../domain/job-flow.js'
import { MS_PER_HOUR } from '../domain/units.js'
import { badInput } from '../errors.js'
import { aggregationScope } from './aggregation-scope.js'
import { JobType } from './entities.js'
import { EventFilterInput } from './event-filter.js'

const hours = (ms: number | null) => (ms === null ? null : ms / MS_PER_HOUR)

const StageHoursType = builder.objectRef<PerStage>('StageHours').implement({
  description: 'Hours per CVAT stage.',
  fields: (t) => ({
    annotation: t.float({ resolve: (s) => s.annotation / MS_PER_HOUR }),
    validation: t.float({ resolve: (s) => s.validation / MS_PER_HOUR }),
    acceptance: t.float({ resolve: (s) => s.acceptance / MS_PER_HOUR }),
  }),
})

const JobTransitionType = builder.objectRef<JobTransition>('JobTransition').implement({
  description: 'A change of stage, state or assignee (assignees as user ids).',
  fields: (t) => ({
    at: t.field({ type: 'DateTime', resolve: (x) => x.atMs }),
    field: t.string({ description: "'stage', 'state' or 'assignee'.", resolve: (x) => x.field }),
    from: t.string({ nullable: true, resolve: (x) => x.from }),
    to: t.string({ nullable: true, resolve: (x) => x.to }),
    userId: t.id({ nullable: true, description: 'Who made the change.', resolve: (x) => x.userId }),
  }),
})

export const JobFlowType = builder.objectRef<JobFlow>('JobFlow').implement({
  description:
    "How a job moved through CVAT's stages (annotation → validation → acceptance), from its update:job events, up to the end of the range.",
  fields: (t) => ({
    jobId: t.id({ resolve: (f) => f.jobId }),
    taskId: t.id({ nullable: true, resolve: (f) => f.taskId }),
    projectId: t.id({ nullable: true, resolve: (f) => f.projectId }),
    stage: t.string({ description: 'Stage at the end of the range.', resolve: (f) => f.stage }),
    state: t.string({ description: 'State at the end of the range.', resolve: (f) => f.state }),
    assigneeId: t.id({ nullable: true, resolve: (f) => f.assigneeId }),
    hoursIn: t.field({
      type: StageHoursType,
      description:
        'Wall-clock hours in each stage since the job’s first event; the open stage up to the end of the range.',
      resolve: (f) => f.msIn,
    }),
    hoursInProgress: t.float({
      description: "Wall-clock hours in state 'in progress'.",
      resolve: (f) => f.inProgressMs / MS_PER_HOUR,
    }),
    rejections: t.int({
      description:
        "Times the job was sent back: from validation or acceptance to annotation, or to state 'rejected' (once per review).",
      resolve: (f) => f.rejections,
    }),
    firstValidationAt: t.field({ type: 'DateTime', nullable: true, resolve: (f) => f.firstValidationMs }),
    acceptedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When the job last entered acceptance; null unless it is in acceptance at the end of the range.',
      resolve: (f) => f.acceptedMs,
    }),
    cycleHours: t.float({
      nullable: true,
      description: "Hours from the job's first event to acceptedAt.",
      resolve: (f) => hours(f.cycleMs),
    }),
    workingHoursIn: t.field({
      type: StageHoursType,
      description: "CVAT's working time on the job (send:working_time) while it was in each stage.",
      resolve: (f) => f.workingMsIn,
    }),
    transitions: t.field({ type: [JobTransitionType], resolve: (f) => f.transitions }),
  }),
})

builder.queryField('jobFlow', (t) =>
  t.field({
    type: [JobFlowType],
    description:
      'Jobs whose stage, state or assignee changed in the filter (update:job), the most recently changed first, each with its flow up to the end of the range. Range as for `activity`; the access rules as for events (a worker sees a flow made of their own events).',
    args: {
      filter: t.arg({ type: EventFilterInput, required: false }),
      first: t.arg.int({
        required: false,
        defaultValue: 100,
        description: 'Most jobs (at most MAX_PAGE_SIZE).',
      }),
    },
    resolve: (_root, args, ctx) => {
      const first = args.first ?? 100
      const max = ctx.limits.maxPageSize
      if (first < 1 || first > max) throw badInput(`first must be from 1 to ${max}`, { field: 'first' })
      const { filter, range } = aggregationScope(ctx, args.filter)
      return ctx.store.productivity.jobFlows(filter, range.to, first)
    },
  }),
)

builder.objectField(JobType, 'flow', (t) =>
  t.field({
    type: JobFlowType,
    nullable: true,
    description:
      'How the job moved through its stages up to `to` (default now); null when it has no such events.',
    args: { to: t.arg({ type: 'DateTime', required: false }) },
    resolve: async (job, args, ctx) => {
      const { range } = withRange(args.to != null ? { to: args.to } : {}, ctx.nowMs)
      return (
        (await ctx.loaders.productivity.jobFlow(authorize(ctx.access, {}), range.to).load(job.id)) ?? null
      )
    },
  }),
)
