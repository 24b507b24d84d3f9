import { builder } from '../builder.js'
import type { TimeBucket } from '../store/index.js'

/** One point of a time series. */
export const TimeBucketType = builder.objectRef<TimeBucket>('TimeBucket').implement({
  description: 'Events in [time, time + interval).',
  fields: (t) => ({
    time: t.field({
      type: 'DateTime',
      description: 'Start of the bucket (aligned to the epoch, UTC).',
      resolve: (b) => b.startMs,
    }),
    count: t.float({ description: 'Events.', resolve: (b) => b.count }),
    users: t.float({ description: 'Distinct users.', resolve: (b) => b.users }),
  }),
})
