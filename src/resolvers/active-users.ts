import { authorize } from '../auth/policy.js'
import { builder } from '../builder.js'
import { badInput } from '../errors.js'
import type { ActiveUser } from '../store/index.js'
import { EventFilterInput, toEventFilter } from './event-filter.js'

const ActiveUserType = builder.objectRef<ActiveUser>('ActiveUser').implement({
  fields: (t) => ({
    userId: t.id({ resolve: (u) => u.userId }),
    userName: t.string({ nullable: true, resolve: (u) => u.userName }),
    lastSeen: t.field({ type: 'DateTime', resolve: (u) => u.lastSeenMs }),
    events: t.float({ description: 'Events in the window.', resolve: (u) => u.events }),
  }),
})

const ActiveUsersType = builder
  .objectRef<{ count: number; users: ActiveUser[]; windowMinutes: number }>('ActiveUsers')
  .implement({
    fields: (t) => ({
      count: t.float({ description: 'Distinct users with events in the window.', resolve: (a) => a.count }),
      windowMinutes: t.float({ resolve: (a) => a.windowMinutes }),
      users: t.field({
        type: [ActiveUserType],
        description: 'Most recently seen first (at most 1000).',
        resolve: (a) => a.users,
      }),
    }),
  })

builder.queryField('activeUsers', (t) =>
  t.field({
    type: ActiveUsersType,
    description:
      'Users active now: with events in the last `windowMinutes`. The window replaces `filter.from`/`filter.to`.',
    args: {
      filter: t.arg({ type: EventFilterInput, required: false }),
      windowMinutes: t.arg.int({ required: false, defaultValue: 15 }),
    },
    resolve: async (_root, args, ctx) => {
      const windowMinutes = args.windowMinutes ?? 15
      if (windowMinutes < 1 || windowMinutes > 7 * 24 * 60)
        throw badInput('windowMinutes must be from 1 to 10080', { field: 'windowMinutes' })
      const filter = authorize(ctx.access, {
        ...toEventFilter(args.filter),
        from: ctx.nowMs - windowMinutes * 60_000,
        to: ctx.nowMs,
      })
      return { ...(await ctx.store.analytics.activeUsers(filter, 1000)), windowMinutes }
    },
  }),
)
