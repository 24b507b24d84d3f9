import { builder, type SchemaTypes } from '../builder.js'
import {
  objectsPerHour,
  reworkRatio,
  workingHours,
  type ProductivityKeys,
  type ProductivityRow,
} from '../domain/productivity.js'
import {
  checkGroups,
  checkOverflow,
  idleCutoffMs,
  MAX_PRODUCTIVITY_GROUPS,
} from '../domain/productivity-input.js'
import { sortProductivityRows } from '../domain/productivity-order.js'
import { badInput } from '../errors.js'
import { aggregationScope } from './aggregation-scope.js'
import { EventFilterInput } from './event-filter.js'

export const ProductivityGroupEnum = builder.enumType('ProductivityGroup', {
  description: 'What productivity figures are grouped by; any combination (DAY and WEEK are UTC; not both).',
  values: {
    USER: { value: 'user' },
    PROJECT: { value: 'project' },
    TASK: { value: 'task' },
    JOB: { value: 'job' },
    SHAPE_TYPE: {
      value: 'shape_type',
      description: "CVAT's shape type of shapes and tracks; 'tag' for tags.",
    },
    DAY: { value: 'day', description: 'The UTC day.' },
    WEEK: { value: 'week', description: 'The ISO week (from Monday, UTC).' },
  } as const,
})

/** The key fields every grouped answer has (productivity rows, idle-gap rows). */
export function keyFields<T extends ProductivityKeys>(
  t: PothosSchemaTypes.ObjectFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<SchemaTypes>, T>,
) {
  return {
    userId: t.id({ nullable: true, resolve: (r) => r.userId }),
    userName: t.string({
      nullable: true,
      description: 'The latest name of the user.',
      resolve: (r) => r.userName,
    }),
    projectId: t.id({ nullable: true, resolve: (r) => r.projectId }),
    taskId: t.id({ nullable: true, resolve: (r) => r.taskId }),
    jobId: t.id({ nullable: true, resolve: (r) => r.jobId }),
    shapeType: t.string({
      nullable: true,
      description:
        "Shape type ('rectangle', 'polygon', …, 'tag'); null for what has none (working time, undo/redo).",
      resolve: (r) => r.shapeType,
    }),
    period: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Start of the day or week.',
      resolve: (r) => r.periodMs,
    }),
  }
}

const ProductivityRowType = builder.objectRef<ProductivityRow>('ProductivityRow').implement({
  description:
    'What one group produced, and in how much working time. Keys are null when not grouped by them (ids also for events without one).',
  fields: (t) => ({
    ...keyFields(t),
    objectsCreated: t.float({
      description:
        'Sum of `count` of create:tags, create:shapes and create:tracks (what CVAT logs per save).',
      resolve: (r) => r.objectsCreated,
    }),
    objectsUpdated: t.float({
      description: 'Sum of `count` of update:{tags,shapes,tracks}.',
      resolve: (r) => r.objectsUpdated,
    }),
    objectsDeleted: t.float({
      description: 'Sum of `count` of delete:{tags,shapes,tracks}.',
      resolve: (r) => r.objectsDeleted,
    }),
    manualObjectsCreated: t.float({
      description: 'Created by requests that were neither a dataset import nor a model run: drawn by hand.',
      resolve: (r) => r.manualObjectsCreated,
    }),
    importedObjectsCreated: t.float({
      description: 'Created by an import (its request logged import:dataset).',
      resolve: (r) => r.importedObjectsCreated,
    }),
    automaticObjectsCreated: t.float({
      description: 'Created by a model run (its request logged call:function).',
      resolve: (r) => r.automaticObjectsCreated,
    }),
    workingHours: t.float({
      description:
        "Working time: CVAT's (send:working_time) at the 100 s idle cutoff, else recomputed from the client events and heartbeats by CVAT's rule at the cutoff asked.",
      resolve: (r) => workingHours(r),
    }),
    objectsPerHour: t.float({
      nullable: true,
      description: 'manualObjectsCreated ÷ workingHours; null without working time.',
      resolve: (r) => objectsPerHour(r),
    }),
    undo: t.float({ description: 'Sum of `count` of action:undo.', resolve: (r) => r.undo }),
    redo: t.float({ description: 'Sum of `count` of action:redo.', resolve: (r) => r.redo }),
    reworkRatio: t.float({
      nullable: true,
      description: 'objectsDeleted ÷ objectsCreated; null when nothing was created.',
      resolve: (r) => reworkRatio(r),
    }),
  }),
})

builder.queryField('productivity', (t) =>
  t.field({
    type: [ProductivityRowType],
    description:
      'Objects created, updated and deleted (manual, imported, automatic), working time, objects per hour, undo/redo and rework per group. Rows by period when grouped by DAY or WEEK, then most manual objects first. Range as for `activity`; the access rules as for events.',
    args: {
      filter: t.arg({ type: EventFilterInput, required: false }),
      groupBy: t.arg({ type: [ProductivityGroupEnum], required: false, defaultValue: ['user'] }),
      idleSeconds: t.arg.int({
        required: false,
        defaultValue: 100,
        description:
          "Idle cutoff of working time, 10–3600 s: a gap between events this long or longer counts nothing. 100 is CVAT's (its stored working time).",
      }),
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
      const idleMs = idleCutoffMs(args.idleSeconds ?? 100, 'idleSeconds')
      const { filter, range } = aggregationScope(ctx, args.filter)
      const answer = await ctx.store.productivity.rows({
        filter,
        ...range,
        groups,
        idleMs,
        maxGroups: MAX_PRODUCTIVITY_GROUPS,
      })
      checkOverflow(answer.overflow, 'groupBy')
      return sortProductivityRows(answer.rows, groups).slice(0, first)
    },
  }),
)
