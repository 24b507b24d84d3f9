import { builder } from '../builder.js'
import { exceptionSignature, messageAndStack } from '../domain/exception-fingerprint.js'
import { withScopes } from '../domain/filter.js'
import { badInput } from '../errors.js'
import { EXCEPTION_SCOPE } from '../domain/scopes.js'
import {
  groupCursorValue,
  type ExceptionGroup,
  type ExceptionGroupCursor,
  type ExceptionGroupOrder,
  type ExceptionGroupPage,
} from '../store/index.js'
import { aggregationScope } from './aggregation-scope.js'
import { EventFilterInput } from './event-filter.js'
import { answered } from './event-texts.js'
import { PageInfoType } from './page-info.js'

const GroupOrderEnum = builder.enumType('ExceptionGroupOrder', {
  values: {
    LAST_SEEN: { value: 'lastSeen', description: 'Latest occurrence first.' },
    COUNT: { value: 'count', description: 'Most occurrences first.' },
  } as const,
})

/** What a group's latest occurrence says: its message, stack and signature, read once. */
const details = new WeakMap<ExceptionGroup, ReturnType<typeof detailsOf>>()
function detailsOf(group: ExceptionGroup) {
  const { message, stack } = messageAndStack(group.lastPayload)
  return { message, stack, signature: exceptionSignature(message, stack) }
}
const detail = (group: ExceptionGroup) => {
  let found = details.get(group)
  if (!found) details.set(group, (found = detailsOf(group)))
  return found
}

const ExceptionGroupType = builder.objectRef<ExceptionGroup>('ExceptionGroup').implement({
  description:
    'Exceptions of one kind: the same message (numbers, ids and URLs aside) from the same place ' +
    '(the innermost frame of the stack), within the filter.',
  fields: (t) => ({
    id: t.id({
      description:
        'The group id (also `ExceptionEvent.groupId`, `Event.exceptionGroupId`, `filter.exceptionGroups`).',
      resolve: (g) => g.groupId,
    }),
    count: t.float({ description: 'Occurrences.', resolve: (g) => g.count }),
    users: t.int({ description: 'Distinct users affected.', resolve: (g) => g.users }),
    jobs: t.int({ description: 'Distinct jobs affected.', resolve: (g) => g.jobs }),
    firstSeen: t.field({ type: 'DateTime', resolve: (g) => g.firstSeenMs }),
    lastSeen: t.field({ type: 'DateTime', resolve: (g) => g.lastSeenMs }),
    sources: t.stringList({ description: "'client', 'server' or both.", resolve: (g) => g.sources }),
    title: t.string({
      description: 'The message as grouped: numbers, ids, URLs and e-mail addresses replaced.',
      resolve: (g) => detail(g).signature.message,
    }),
    topFrame: t.string({
      nullable: true,
      description: 'Where it is thrown: the innermost frame, `function (file)`; null without a stack.',
      resolve: (g) => {
        const { frameFunction, frameFile } = detail(g).signature
        if (!frameFunction && !frameFile) return null
        return frameFunction ? `${frameFunction} (${frameFile})` : frameFile
      },
    }),
    message: t.string({
      description: 'The latest occurrence’s message.',
      resolve: (g, _args, ctx) => answered(ctx, detail(g).message) ?? '',
    }),
    stack: t.string({
      nullable: true,
      description: 'The latest occurrence’s stack.',
      resolve: (g, _args, ctx) => answered(ctx, detail(g).stack || null),
    }),
    lastEventId: t.id({
      description: 'The latest occurrence (an `ExceptionEvent` id).',
      resolve: (g) => g.lastEventId,
    }),
  }),
})

type GroupEdge = { group: ExceptionGroup; orderBy: ExceptionGroupOrder; asOfMs: number | null }
type GroupConnection = ExceptionGroupPage & { orderBy: ExceptionGroupOrder }

const ExceptionGroupEdgeType = builder.objectRef<GroupEdge>('ExceptionGroupEdge').implement({
  fields: (t) => ({
    cursor: t.string({ resolve: (e) => encodeGroupCursor(e.orderBy, e.group, e.asOfMs) }),
    node: t.field({ type: ExceptionGroupType, resolve: (e) => e.group }),
  }),
})

const ExceptionGroupConnectionType = builder
  .objectRef<GroupConnection>('ExceptionGroupConnection')
  .implement({
    fields: (t) => ({
      edges: t.field({
        type: [ExceptionGroupEdgeType],
        resolve: (c) => c.groups.map((group) => ({ group, orderBy: c.orderBy, asOfMs: c.asOfMs })),
      }),
      nodes: t.field({ type: [ExceptionGroupType], resolve: (c) => c.groups }),
      pageInfo: t.field({
        type: PageInfoType,
        resolve: (c) => {
          const last = c.groups.at(-1)
          return {
            hasNextPage: c.hasNextPage,
            endCursor: last ? encodeGroupCursor(c.orderBy, last, c.asOfMs) : null,
          }
        },
      }),
    }),
  })

builder.queryField('exceptionGroups', (t) =>
  t.field({
    type: ExceptionGroupConnectionType,
    description:
      'Reported errors grouped by kind, with how often and whom they hit; keyset-paginated. Range as for `activity`.',
    args: {
      filter: t.arg({ type: EventFilterInput, required: false }),
      first: t.arg.int({ required: false, defaultValue: 50 }),
      after: t.arg.string({ required: false }),
      orderBy: t.arg({ type: GroupOrderEnum, required: false, defaultValue: 'lastSeen' }),
    },
    resolve: async (_root, args, ctx) => {
      const { filter } = aggregationScope(ctx, args.filter)
      const first = args.first ?? 50
      const max = ctx.limits.maxPageSize
      if (first < 1 || first > max) throw badInput(`first must be from 1 to ${max}`, { field: 'first' })
      const orderBy = args.orderBy ?? 'lastSeen'
      const page = await ctx.store.exceptions.groups(withScopes(filter, [EXCEPTION_SCOPE]), {
        first,
        orderBy,
        ...(args.after ? { after: decodeGroupCursor(args.after, orderBy) } : {}),
      })
      return { ...page, orderBy }
    },
  }),
)

/**
 * Cursors are opaque: base64url of the ranking, its value and the group id of the last group, and
 * the snapshot the pages rank (a cursor of an earlier version has none).
 */
function encodeGroupCursor(
  orderBy: ExceptionGroupOrder,
  group: ExceptionGroup,
  asOfMs: number | null,
): string {
  const fields = [
    orderBy,
    groupCursorValue(group, orderBy),
    group.groupId,
    ...(asOfMs === null ? [] : [asOfMs]),
  ]
  return Buffer.from(JSON.stringify(fields)).toString('base64url')
}

function decodeGroupCursor(text: string, orderBy: ExceptionGroupOrder): ExceptionGroupCursor {
  try {
    const fields = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[]
    const [order, value, groupId, asOfMs] = fields
    if (
      Array.isArray(fields) &&
      order === orderBy &&
      Number.isSafeInteger(value) &&
      typeof groupId === 'string' &&
      (asOfMs === undefined || Number.isSafeInteger(asOfMs))
    ) {
      return { value: value as number, groupId, asOfMs: (asOfMs as number | undefined) ?? null }
    }
  } catch {
    // fall through to the error below
  }
  throw badInput('after: not a cursor of exceptionGroups with this orderBy', { field: 'after' })
}
