import { builder } from '../builder.js'
import { canRead } from '../auth/principal.js'
import type { Context } from '../context.js'
import { badInput, forbidden } from '../errors.js'
import {
  QUARANTINE_RETENTION_DAYS,
  type QuarantinedEvent,
  type QuarantinePage,
  type QuarantineReasonCount,
} from '../store/index.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { answered } from './event-texts.js'
import { PageInfoType } from './page-info.js'

/** Cursors of the quarantine reuse the events' shape: (time, uuid). */
const cursorOf = (e: QuarantinedEvent) =>
  encodeCursor({ timestampMs: e.receivedAtMs, eventId: e.id, ingestedAtMs: null, seen: 0 })

const QuarantinedEventType = builder.objectRef<QuarantinedEvent>('QuarantinedEvent').implement({
  description:
    'An event the CVAT-logger listener received but could not store as it is: its raw JSON text, and why.',
  fields: (t) => ({
    id: t.id({ resolve: (e) => e.id }),
    receivedAt: t.field({ type: 'DateTime', resolve: (e) => e.receivedAtMs }),
    path: t.exposeString('path', { description: "The ingest path that set it aside ('cvat_logger')." }),
    reason: t.exposeString('reason', {
      description: "A stable code: 'invalid_<field>', 'not_an_object' or 'store_rejected'.",
    }),
    message: t.exposeString('message', { description: 'What was wrong, naming the field.' }),
    requestId: t.exposeString('requestId', {
      description: 'X-Request-Id of the request that brought it (the service log names it too).',
    }),
    position: t.exposeInt('position', { description: 'Its index in that request’s batch.' }),
    raw: t.string({
      description: 'The event’s JSON text, byte for byte as it arrived.',
      resolve: (e, _args, ctx) => answered(ctx, e.raw) ?? '',
    }),
  }),
})

const QuarantinedEventEdgeType = builder.objectRef<QuarantinedEvent>('QuarantinedEventEdge').implement({
  fields: (t) => ({
    cursor: t.string({ resolve: cursorOf }),
    node: t.field({ type: QuarantinedEventType, resolve: (e) => e }),
  }),
})

const QuarantinedEventConnectionType = builder
  .objectRef<QuarantinePage>('QuarantinedEventConnection')
  .implement({
    fields: (t) => ({
      edges: t.field({ type: [QuarantinedEventEdgeType], resolve: (c) => c.events }),
      nodes: t.field({ type: [QuarantinedEventType], resolve: (c) => c.events }),
      pageInfo: t.field({
        type: PageInfoType,
        resolve: (c) => {
          const last = c.events.at(-1)
          return { hasNextPage: c.hasNextPage, endCursor: last ? cursorOf(last) : null }
        },
      }),
    }),
  })

const QuarantineReasonType = builder.objectRef<QuarantineReasonCount>('QuarantineReason').implement({
  fields: (t) => ({
    reason: t.exposeString('reason'),
    count: t.float({ description: 'Events kept for this reason.', resolve: (r) => r.count }),
    lastAt: t.field({ type: 'DateTime', description: 'The latest of them.', resolve: (r) => r.lastMs }),
  }),
})

/** The quarantine as a whole; only its root field checks who asks. */
const QuarantineType = builder.objectRef<Record<string, never>>('Quarantine').implement({
  description:
    'Events the CVAT-logger listener set aside instead of storing (it never refuses CVAT a batch), ' +
    `kept ${QUARANTINE_RETENTION_DAYS} days. Admins only.`,
  fields: (t) => ({
    total: t.float({
      description: 'Events in the quarantine.',
      resolve: async (_q, _args, ctx) =>
        (await ctx.store.quarantine.reasons()).reduce((n, r) => n + r.count, 0),
    }),
    reasons: t.field({
      type: [QuarantineReasonType],
      description: 'How many events were set aside for each reason, most first.',
      resolve: (_q, _args, ctx) => ctx.store.quarantine.reasons(),
    }),
    events: t.field({
      type: QuarantinedEventConnectionType,
      description: 'Quarantined events, newest first; keyset-paginated (`after` a returned cursor).',
      args: {
        first: t.arg.int({
          required: false,
          defaultValue: 50,
          description: 'Page size (at most MAX_PAGE_SIZE).',
        }),
        after: t.arg.string({ required: false }),
        reason: t.arg.string({ required: false, description: 'Only events set aside for this reason.' }),
      },
      resolve: (_q, args, ctx) => quarantinePage(ctx, args),
    }),
  }),
})

function quarantinePage(
  ctx: Context,
  args: { first?: number | null; after?: string | null; reason?: string | null },
): Promise<QuarantinePage> {
  const first = args.first ?? 50
  const max = ctx.limits.maxPageSize
  if (first < 1 || first > max) throw badInput(`first must be from 1 to ${max}`, { field: 'first' })
  const after = args.after ? decodeCursor(args.after) : undefined
  return ctx.store.quarantine.page({
    first,
    ...(after ? { after: { receivedAtMs: after.timestampMs, id: after.eventId } } : {}),
    ...(args.reason ? { reason: args.reason } : {}),
  })
}

builder.queryField('quarantine', (t) =>
  t.field({
    type: QuarantineType,
    description:
      'Events the CVAT-logger listener could not store as they are, with the reasons. Admins only (FORBIDDEN otherwise).',
    resolve: (_root, _args, ctx) => {
      const { principal } = ctx.access
      if (principal.user.role !== 'admin' || !canRead(principal)) {
        throw forbidden('the quarantine is for admins: it holds events of every organization')
      }
      return {}
    },
  }),
)
