import { builder } from '../builder.js'
import type { PlatformCount } from '../store/index.js'
import { aggregationScope } from './aggregation-scope.js'
import { EventFilterInput } from './event-filter.js'

const PlatformCountType = builder.objectRef<PlatformCount>('PlatformCount').implement({
  fields: (t) => ({
    name: t.string({ resolve: (p) => p.name }),
    users: t.float({ description: 'Distinct users.', resolve: (p) => p.users }),
  }),
})

const PlatformsType = builder
  .objectRef<{ browsers: PlatformCount[]; systems: PlatformCount[] }>('Platforms')
  .implement({
    description: 'What CVAT runs on, from the platform reported by load:cvat events.',
    fields: (t) => ({
      browsers: t.field({ type: [PlatformCountType], resolve: (p) => p.browsers }),
      operatingSystems: t.field({ type: [PlatformCountType], resolve: (p) => p.systems }),
    }),
  })

builder.queryField('platforms', (t) =>
  t.field({
    type: PlatformsType,
    description: 'Distinct users per browser and per operating system. Range as for `activity`.',
    args: { filter: t.arg({ type: EventFilterInput, required: false }) },
    resolve: (_root, args, ctx) => ctx.store.analytics.platforms(aggregationScope(ctx, args.filter).filter),
  }),
)
