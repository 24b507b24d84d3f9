import type { GraphQLResolveInfo } from 'graphql'
import { eventFieldsOf } from './event-fields.js'
import { builder } from '../builder.js'
import { authorize } from '../auth/policy.js'
import { badInput } from '../errors.js'
import type { Context } from '../context.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import type { EventCursor, EventPage, StoredEvent } from '../store/index.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { EventFilterInput, toEventFilter } from './event-filter.js'
import { eventText, MAX_LENGTH_DESCRIPTION, readEventPage, readMaxLength } from './event-texts.js'
import { groupIdOfField } from './group-id.js'
import { pageInfoOf, PageInfoType } from './page-info.js'
import { answeredPayload } from './payload.js'

/** An event row (docs/cvat-compatibility.md#the-event-row) with our id, request id and ingest time. */
export const EventType = builder.objectRef<StoredEvent>('Event').implement({
  description:
    "One event: CVAT's event row, with its id, the request that caused it and when it was ingested.",
  fields: (t) => ({
    id: t.id({ resolve: (e) => e.eventId }),
    scope: t.exposeString('scope', { description: "action:object, e.g. 'create:task' or 'change:frame'." }),
    objName: t.string({
      nullable: true,
      args: { maxLength: t.arg.int({ required: false, description: MAX_LENGTH_DESCRIPTION }) },
      resolve: (e, args, ctx) => eventText(ctx, e, 'objName', readMaxLength(args.maxLength)),
    }),
    objId: t.id({ nullable: true, resolve: (e) => e.objId }),
    objVal: t.string({
      nullable: true,
      args: { maxLength: t.arg.int({ required: false, description: MAX_LENGTH_DESCRIPTION }) },
      resolve: (e, args, ctx) => eventText(ctx, e, 'objVal', readMaxLength(args.maxLength)),
    }),
    source: t.exposeString('source', { description: "'client' or 'server'." }),
    timestamp: t.field({ type: 'DateTime', resolve: (e) => e.timestampMs }),
    count: t.exposeInt('count', { nullable: true }),
    duration: t.float({ description: 'Milliseconds.', resolve: (e) => e.duration }),
    projectId: t.id({ nullable: true, resolve: (e) => e.projectId }),
    taskId: t.id({ nullable: true, resolve: (e) => e.taskId }),
    jobId: t.id({ nullable: true, resolve: (e) => e.jobId }),
    userId: t.id({ nullable: true, resolve: (e) => e.userId }),
    userName: t.exposeString('userName', { nullable: true }),
    userEmail: t.exposeString('userEmail', { nullable: true }),
    orgId: t.id({ nullable: true, resolve: (e) => e.orgId }),
    orgSlug: t.exposeString('orgSlug', { nullable: true }),
    payload: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'The JSON object. With `maxLength`, a payload whose JSON text is longer comes as a string: the first ' +
        '`maxLength` characters of that text (no longer valid JSON).',
      args: { maxLength: t.arg.int({ required: false, description: MAX_LENGTH_DESCRIPTION }) },
      resolve: (e, args, ctx) => answeredPayload(ctx, e, readMaxLength(args.maxLength)),
    }),
    accessTokenId: t.id({ nullable: true, resolve: (e) => e.accessTokenId }),
    requestId: t.string({
      nullable: true,
      description: 'payload.request.id: the request that caused the event.',
      resolve: (e) => e.requestId || null,
    }),
    ingestedAt: t.field({ type: 'DateTime', resolve: (e) => e.ingestedAtMs }),
    exceptionGroupId: t.id({
      nullable: true,
      description:
        'The exception group (`exceptionGroups`) of a send:exception event; null for other scopes.',
      resolve: async (e, _args, ctx) => (await groupIdOfField(ctx, e)) || null,
    }),
  }),
})

/** An event of a page with the cursor after it. */
export interface EventEdge {
  readonly event: StoredEvent
  readonly cursor: EventCursor
}

/** A page's events with their cursors, for a connection's `edges`. */
export function edgesOf(page: Pick<EventPage, 'events' | 'cursors'>): EventEdge[] {
  return page.events.map((event, i) => ({ event, cursor: page.cursors[i] as EventCursor }))
}

const EventEdgeType = builder.objectRef<EventEdge>('EventEdge').implement({
  fields: (t) => ({
    cursor: t.string({ resolve: (e) => encodeCursor(e.cursor) }),
    node: t.field({ type: EventType, resolve: (e) => e.event }),
  }),
})

export const EventConnectionType = builder.objectRef<EventPage>('EventConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [EventEdgeType], resolve: edgesOf }),
    nodes: t.field({ type: [EventType], resolve: (c) => c.events }),
    pageInfo: t.field({
      type: PageInfoType,
      resolve: pageInfoOf,
    }),
  }),
})

export const EventOrderEnum = builder.enumType('EventOrder', {
  values: { TIMESTAMP_DESC: { value: 'desc' }, TIMESTAMP_ASC: { value: 'asc' } } as const,
})

/** The arguments of every paginated event list. */
export interface EventPageArgs {
  readonly first?: number | null
  readonly after?: string | null
  readonly orderBy?: 'asc' | 'desc' | null
}

const fieldsOf = (info: GraphQLResolveInfo) => {
  const fields = eventFieldsOf(info)
  return fields ? { fields } : {}
}

/** One page of events for any list field: validates the page arguments, then reads (see readEventPage). */
export function eventPage(
  ctx: Context,
  filter: AuthorizedFilter,
  args: EventPageArgs,
  /** The list field's resolve info: only the columns its selection reads are fetched. */
  info?: GraphQLResolveInfo,
): Promise<EventPage> {
  const first = args.first ?? 50
  const max = ctx.limits.maxPageSize
  if (first < 1 || first > max) throw badInput(`first must be from 1 to ${max}`, { field: 'first' })
  return readEventPage(ctx, filter, {
    first,
    order: args.orderBy ?? 'desc',
    ...(args.after ? { after: decodeCursor(args.after) } : {}),
    ...(info ? fieldsOf(info) : {}),
  })
}

builder.queryField('events', (t) =>
  t.field({
    type: EventConnectionType,
    description:
      'Events matching the filter, newest first by default; keyset-paginated (`after` a returned cursor).',
    args: {
      filter: t.arg({ type: EventFilterInput, required: false }),
      first: t.arg.int({
        required: false,
        defaultValue: 50,
        description: 'Page size (at most MAX_PAGE_SIZE).',
      }),
      after: t.arg.string({ required: false }),
      orderBy: t.arg({ type: EventOrderEnum, required: false, defaultValue: 'desc' }),
    },
    resolve: (_root, args, ctx, info) =>
      eventPage(ctx, authorize(ctx.access, toEventFilter(args.filter)), args, info),
  }),
)
