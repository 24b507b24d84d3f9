import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql'
import type { StoredEventField } from '../store/index.js'

/**
 * The stored fields each GraphQL field of an event list reads (Event, ExceptionEvent, their
 * edges and page info). Fields that only hold others (`nodes`, `edges`, `node`, `event`,
 * `pageInfo`) read nothing themselves; a field not listed makes the read fetch every column.
 */
const READS: Record<string, readonly StoredEventField[]> = {
  nodes: [],
  edges: [],
  node: [],
  event: [],
  pageInfo: [],
  hasNextPage: [],
  hasPreviousPage: [],
  __typename: [],
  id: ['eventId'],
  cursor: ['eventId', 'timestampMs'],
  startCursor: ['eventId', 'timestampMs'],
  endCursor: ['eventId', 'timestampMs'],
  scope: ['scope'],
  objName: ['objName'],
  objId: ['objId'],
  objVal: ['objVal'],
  source: ['source'],
  timestamp: ['timestampMs'],
  count: ['count'],
  duration: ['duration'],
  projectId: ['projectId'],
  taskId: ['taskId'],
  jobId: ['jobId'],
  userId: ['userId'],
  userName: ['userName'],
  userEmail: ['userEmail'],
  orgId: ['orgId'],
  orgSlug: ['orgSlug'],
  payload: ['payload'],
  accessTokenId: ['accessTokenId'],
  requestId: ['requestId'],
  ingestedAt: ['ingestedAtMs'],
  exceptionGroupId: ['scope', 'payload'],
  groupId: ['scope', 'payload'],
  message: ['payload'],
  stack: ['payload'],
}

/**
 * The stored fields an event list's selection reads, through fragments and every alias; undefined
 * (all of them) when it selects a field this does not know. So `events { nodes { id userName } }`
 * fetches two columns, not the payloads.
 */
export function eventFieldsOf(info: GraphQLResolveInfo): ReadonlySet<StoredEventField> | undefined {
  const fields = new Set<StoredEventField>()
  const visit = (set: SelectionSetNode | undefined): boolean => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const reads = READS[selection.name.value]
        if (!reads) return false
        for (const f of reads) fields.add(f)
        if (!visit(selection.selectionSet)) return false
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!visit(selection.selectionSet)) return false
      } else {
        const fragment = info.fragments[selection.name.value]
        if (!fragment || !visit(fragment.selectionSet)) return false
      }
    }
    return true
  }
  for (const node of info.fieldNodes) if (!visit(node.selectionSet)) return undefined
  return fields
}
