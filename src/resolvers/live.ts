import { authorize } from '../auth/policy.js'
import { builder } from '../builder.js'
import { withScopes } from '../domain/filter.js'
import { EXCEPTION_SCOPE } from '../domain/scopes.js'
import { LiveEnd } from '../live/live-end.js'
import type { LiveItem } from '../live/subscriber.js'
import type { StoredEvent } from '../store/index.js'
import { EventType } from './event.js'
import { EventFilterInput, toEventFilter } from './event-filter.js'
import { ExceptionType } from './exceptions.js'

/** A pushed item as its event; the end of a stream the server closed becomes its last (error) result. */
function eventOf(item: LiveItem): StoredEvent {
  if (item instanceof LiveEnd) throw item.error()
  return item
}

const LIVE_RULES =
  'Pushed once stored (events accepted while the store was away: when they are replayed), in ' +
  'the order stored. You receive exactly what `events` with the same filter would return you, ' +
  'checked again whenever your account, membership or token changes.'

builder.subscriptionField('events', (t) =>
  t.field({
    type: EventType,
    description: `Events matching the filter as they are stored: a live tail. ${LIVE_RULES}`,
    args: { filter: t.arg({ type: EventFilterInput, required: false }) },
    subscribe: (_root, args, ctx) => {
      const requested = toEventFilter(args.filter)
      return ctx.live.subscribe((access) => authorize(access, requested))
    },
    resolve: eventOf,
  }),
)

builder.subscriptionField('exceptions', (t) =>
  t.field({
    type: ExceptionType,
    description: `Reported errors (send:exception) matching the filter as they are stored, with their group. ${LIVE_RULES}`,
    args: { filter: t.arg({ type: EventFilterInput, required: false }) },
    subscribe: (_root, args, ctx) => {
      const requested = toEventFilter(args.filter)
      return ctx.live.subscribe((access) => withScopes(authorize(access, requested), [EXCEPTION_SCOPE]))
    },
    resolve: eventOf,
  }),
)
