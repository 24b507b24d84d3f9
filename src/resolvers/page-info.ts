import type { EventCursor } from '../store/index.js'
import { encodeCursor } from './cursor.js'
import { builder } from '../builder.js'

/** Relay's page info for the keyset-paginated connections. */
export const PageInfoType = builder
  .objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo')
  .implement({
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage'),
      endCursor: t.exposeString('endCursor', {
        nullable: true,
        description: 'Pass as `after` for the next page.',
      }),
    }),
  })

/** The page info of a page of events: more after it, and the cursor of its last event. */
export function pageInfoOf(page: { cursors: readonly EventCursor[]; hasNextPage: boolean }) {
  const last = page.cursors.at(-1)
  return { hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor(last) : null }
}
