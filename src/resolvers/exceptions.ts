import { builder } from '../builder.js'
import { withScopes } from '../domain/filter.js'
import type { EventPage, StoredEvent } from '../store/index.js'
import { EXCEPTION_SCOPE } from '../domain/scopes.js'
import { aggregationScope } from './aggregation-scope.js'
import { encodeCursor } from './cursor.js'
import { edgesOf, eventPage, EventType, type EventEdge } from './event.js'
import { EventFilterInput } from './event-filter.js'
import { answered, withPayload } from './event-texts.js'
import { groupIdOfField } from './group-id.js'
import { pageInfoOf, PageInfoType } from './page-info.js'
import { payloadField } from './payload.js'

/** A `send:exception` event with its message and stack taken out of the payload. */
export const ExceptionType = builder.objectRef<StoredEvent>('ExceptionEvent').implement({
  description: 'An error a client or the server reported (scope send:exception).',
  fields: (t) => ({
    id: t.id({ resolve: (e) => e.eventId }),
    timestamp: t.field({ type: 'DateTime', resolve: (e) => e.timestampMs }),
    source: t.string({ resolve: (e) => e.source }),
    userId: t.id({ nullable: true, resolve: (e) => e.userId }),
    userName: t.string({ nullable: true, resolve: (e) => e.userName }),
    orgId: t.id({ nullable: true, resolve: (e) => e.orgId }),
    projectId: t.id({ nullable: true, resolve: (e) => e.projectId }),
    taskId: t.id({ nullable: true, resolve: (e) => e.taskId }),
    jobId: t.id({ nullable: true, resolve: (e) => e.jobId }),
    message: t.string({
      nullable: true,
      resolve: async (e, _args, ctx) => answered(ctx, payloadField(await withPayload(ctx, e), 'message')),
    }),
    stack: t.string({
      nullable: true,
      resolve: async (e, _args, ctx) => answered(ctx, payloadField(await withPayload(ctx, e), 'stack')),
    }),
    groupId: t.id({
      description: 'Its exception group: the same error at the same place (`exceptionGroups`).',
      resolve: (e, _args, ctx) => groupIdOfField(ctx, e),
    }),
    event: t.field({ type: EventType, description: 'The whole event, payload included.', resolve: (e) => e }),
  }),
})

const ExceptionEdgeType = builder.objectRef<EventEdge>('ExceptionEdge').implement({
  fields: (t) => ({
    cursor: t.string({ resolve: (e) => encodeCursor(e.cursor) }),
    node: t.field({ type: ExceptionType, resolve: (e) => e.event }),
  }),
})

const ExceptionConnectionType = builder.objectRef<EventPage>('ExceptionConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [ExceptionEdgeType], resolve: edgesOf }),
    nodes: t.field({ type: [ExceptionType], resolve: (c) => c.events }),
    pageInfo: t.field({
      type: PageInfoType,
      resolve: pageInfoOf,
    }),
  }),
})

builder.queryField('exceptions', (t) =>
  t.field({
    type: ExceptionConnectionType,
    description: 'Reported errors, newest first, keyset-paginated. Range as for `activity`.',
    args: {
      filter: t.arg({ type: EventFilterInput, required: false }),
      first: t.arg.int({ required: false, defaultValue: 50 }),
      after: t.arg.string({ required: false }),
    },
    resolve: (_root, args, ctx, info) => {
      const { filter } = aggregationScope(ctx, args.filter)
      return eventPage(
        ctx,
        withScopes(filter, [EXCEPTION_SCOPE]),
        { first: args.first ?? null, after: args.after ?? null, orderBy: 'desc' },
        info,
      )
    },
  }),
)
