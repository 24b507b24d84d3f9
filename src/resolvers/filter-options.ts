import { builder } from '../builder.js'
import { badInput } from '../errors.js'
import type { FilterOptions } from '../store/index.js'
import { aggregationScope } from './aggregation-scope.js'
import { EventFilterInput } from './event-filter.js'

const UserOptionType = builder.objectRef<{ id: string; name: string | null }>('UserOption').implement({
  fields: (t) => ({
    id: t.id({ resolve: (u) => u.id }),
    name: t.string({ nullable: true, resolve: (u) => u.name }),
  }),
})

const OrgOptionType = builder.objectRef<{ id: string; slug: string | null }>('OrgOption').implement({
  fields: (t) => ({
    id: t.id({ resolve: (o) => o.id }),
    slug: t.string({ nullable: true, resolve: (o) => o.slug }),
  }),
})

const FilterOptionsType = builder.objectRef<FilterOptions>('FilterOptions').implement({
  description: 'The distinct values present in the range, for dashboard filter drop-downs.',
  fields: (t) => ({
    users: t.field({ type: [UserOptionType], resolve: (o) => o.users }),
    orgs: t.field({ type: [OrgOptionType], resolve: (o) => o.orgs }),
    projectIds: t.idList({ resolve: (o) => o.projectIds }),
    taskIds: t.idList({ resolve: (o) => o.taskIds }),
    jobIds: t.idList({ resolve: (o) => o.jobIds }),
    scopes: t.stringList({ resolve: (o) => o.scopes }),
    sources: t.stringList({ resolve: (o) => o.sources }),
  }),
})

builder.queryField('filterOptions', (t) =>
  t.field({
    type: FilterOptionsType,
    description:
      'Users, organizations, projects, tasks, jobs, scopes and sources present in the range (each list capped at `limit`). Range as for `activity`.',
    args: {
      filter: t.arg({ type: EventFilterInput, required: false }),
      limit: t.arg.int({ required: false, defaultValue: 1000 }),
    },
    resolve: (_root, args, ctx) => {
      const limit = args.limit ?? 1000
      if (limit < 1 || limit > 10_000) throw badInput('limit must be from 1 to 10000', { field: 'limit' })
      return ctx.store.analytics.filterOptions(aggregationScope(ctx, args.filter).filter, limit)
    },
  }),
)
