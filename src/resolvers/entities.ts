import { authorize } from '../auth/policy.js'
import { builder } from '../builder.js'
import type { Context } from '../context.js'
import { parseId } from '../domain/ids.js'
import { badInput } from '../errors.js'
import type { WorkingTimeTotal } from '../loaders/entity-loaders.js'
import type { EventFilter } from '../domain/filter.js'
import type { EntityKind } from '../store/index.js'
import { withRange } from '../domain/aggregation-input.js'
import { seriesInterval } from './aggregation-scope.js'
import { eventPage, EventConnectionType, EventOrderEnum } from './event.js'
import { EventFilterInput, toEventFilter } from './event-filter.js'
import { TimeBucketType } from './time-bucket.js'
import { MS_PER_HOUR } from '../domain/units.js'

/** A job, task, project or user, known by its id; every field is computed from its events. */
interface EntityRef {
  readonly kind: EntityKind
  readonly id: string
}

const WorkingTimeTotalType = builder.objectRef<WorkingTimeTotal>('WorkingTimeTotal').implement({
  fields: (t) => ({
    milliseconds: t.float({ resolve: (w) => w.ms }),
    hours: t.float({ resolve: (w) => w.ms / MS_PER_HOUR }),
    actions: t.float({ description: 'Client events.', resolve: (w) => w.actions }),
  }),
})

const ID_FILTER: Record<EntityKind, keyof EventFilter> = {
  job: 'jobIds',
  task: 'taskIds',
  project: 'projectIds',
  user: 'userIds',
}

/** The caller's view of every entity of a kind, with an optional time range: shared by all, so loaders batch. */
function viewFilter(
  ctx: Context,
  entity: EntityRef,
  range: { from?: number | null; to?: number | null } = {},
) {
  // A user entity names a user: refuse users outside the caller's view (403) before reading.
  if (entity.kind === 'user') authorize(ctx.access, { userIds: [entity.id] })
  const bounds = {
    ...(range.from != null ? { from: range.from } : {}),
    ...(range.to != null ? { to: range.to } : {}),
  }
  return authorize(ctx.access, bounds)
}

function entityType(kind: EntityKind, name: string, description: string) {
  return builder.objectRef<EntityRef>(name).implement({
    description,
    fields: (t) => ({
      id: t.id({ resolve: (e) => e.id }),
      workingTime: t.field({
        type: WorkingTimeTotalType,
        description: 'Working time and actions, optionally within a time range (default: all time).',
        args: {
          from: t.arg({ type: 'DateTime', required: false }),
          to: t.arg({ type: 'DateTime', required: false }),
        },
        resolve: (e, args, ctx) =>
          ctx.loaders.entities.workingTime(kind, viewFilter(ctx, e, args)).load(e.id),
      }),
      firstEventAt: t.field({
        type: 'DateTime',
        nullable: true,
        resolve: async (e, _args, ctx) =>
          (await ctx.loaders.entities.span(kind, viewFilter(ctx, e)).load(e.id))?.firstEventMs ?? null,
      }),
      lastEventAt: t.field({
        type: 'DateTime',
        nullable: true,
        resolve: async (e, _args, ctx) =>
          (await ctx.loaders.entities.span(kind, viewFilter(ctx, e)).load(e.id))?.lastEventMs ?? null,
      }),
      eventCount: t.float({
        resolve: async (e, _args, ctx) =>
          (await ctx.loaders.entities.span(kind, viewFilter(ctx, e)).load(e.id))?.events ?? 0,
      }),
      activity: t.field({
        type: [TimeBucketType],
        description: 'Events per interval; without `from` the week before `to` (default now).',
        args: {
          interval: t.arg.string({ required: true }),
          from: t.arg({ type: 'DateTime', required: false }),
          to: t.arg({ type: 'DateTime', required: false }),
        },
        resolve: (e, args, ctx) => {
          const { range } = withRange(
            {
              ...(args.from != null ? { from: args.from } : {}),
              ...(args.to != null ? { to: args.to } : {}),
            },
            ctx.nowMs,
          )
          const intervalMs = seriesInterval(ctx, range, args.interval)
          return ctx.loaders.entities.activity(kind, viewFilter(ctx, e, range), range, intervalMs).load(e.id)
        },
      }),
      events: t.field({
        type: EventConnectionType,
        args: {
          first: t.arg.int({ required: false, defaultValue: 50 }),
          after: t.arg.string({ required: false }),
          orderBy: t.arg({ type: EventOrderEnum, required: false, defaultValue: 'desc' }),
        },
        resolve: (e, args, ctx, info) =>
          eventPage(ctx, authorize(ctx.access, { [ID_FILTER[kind]]: [e.id] }), args, info),
      }),
      ...(kind === 'user'
        ? {
            name: t.string({
              nullable: true,
              description: 'The latest user name the events carry.',
              resolve: async (e, _args, ctx) =>
                (await ctx.loaders.entities.span(kind, viewFilter(ctx, e)).load(e.id))?.name ?? null,
            }),
          }
        : {}),
    }),
  })
}

/** Jobs: other modules add fields (job-flow.ts adds `flow`). */
export const JobType = entityType('job', 'Job', 'A CVAT job, as its events describe it.')

const ENTITIES = [
  {
    kind: 'job',
    type: JobType,
    one: 'job',
    many: 'jobs',
  },
  {
    kind: 'task',
    type: entityType('task', 'Task', 'A CVAT task, as its events describe it.'),
    one: 'task',
    many: 'tasks',
  },
  {
    kind: 'project',
    type: entityType('project', 'Project', 'A CVAT project, as its events describe it.'),
    one: 'project',
    many: 'projects',
  },
  {
    kind: 'user',
    type: entityType('user', 'User', 'A user, as their events describe them.'),
    one: 'user',
    many: 'users',
  },
] as const

for (const { kind, type, one, many } of ENTITIES) {
  builder.queryField(one, (t) =>
    t.field({
      type,
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root, args) => {
        const id = parseId(String(args.id))
        if (id === undefined) throw badInput(`id: '${String(args.id)}' is not a valid id`, { field: 'id' })
        return { kind, id }
      },
    }),
  )
  builder.queryField(many, (t) =>
    t.field({
      type: [type],
      description: `The ${many} with events matching the filter, most recently active first.`,
      args: {
        filter: t.arg({ type: EventFilterInput, required: false }),
        first: t.arg.int({ required: false, defaultValue: 100 }),
      },
      resolve: async (_root, args, ctx) => {
        const first = args.first ?? 100
        const max = ctx.limits.maxPageSize
        if (first < 1 || first > max) throw badInput(`first must be from 1 to ${max}`, { field: 'first' })
        const ids = await ctx.store.entities.list(
          authorize(ctx.access, toEventFilter(args.filter)),
          kind,
          first,
        )
        return ids.map((id) => ({ kind, id }))
      },
    }),
  )
}
