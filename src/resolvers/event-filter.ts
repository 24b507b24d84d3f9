import { builder } from '../builder.js'
import { isGroupId } from '../domain/exception-fingerprint.js'
import { parseId } from '../domain/ids.js'
import { badInput } from '../errors.js'
import type { EventFilter } from '../domain/filter.js'

/** The one filter input of every query, aggregation and export. */
export const EventFilterInput = builder.inputType('EventFilter', {
  description:
    'Which events to consider. Every field narrows; an absent or empty list means no constraint. ' +
    'Times are inclusive. The access policy applies on top: naming an organization or user you may not see is FORBIDDEN.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: false, description: 'Earliest event time (inclusive).' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Latest event time (inclusive).' }),
    orgIds: t.idList({ required: false }),
    projectIds: t.idList({ required: false }),
    taskIds: t.idList({ required: false }),
    jobIds: t.idList({ required: false }),
    userIds: t.idList({ required: false }),
    userNames: t.stringList({ required: false }),
    scopes: t.stringList({ required: false, description: "Scopes such as 'change:frame'." }),
    sources: t.stringList({ required: false, description: "'client' or 'server'." }),
    objNames: t.stringList({ required: false }),
    exceptionGroups: t.idList({
      required: false,
      description: 'Exception groups (`exceptionGroups { id }`): only the exceptions of these groups.',
    }),
    requestIds: t.stringList({
      required: false,
      description:
        'Request ids (`Event.requestId`, `payload.request.id`): the events one request caused, client and server.',
    }),
    hasJob: t.boolean({
      required: false,
      description: 'true: only events with a job; false: only events without one.',
    }),
  }),
})

export type EventFilterInputShape = typeof EventFilterInput.$inferInput

/** An exception group id as `exceptionGroups` answers them (16 hex digits), or BAD_USER_INPUT. */
function groupId(value: string | number): string {
  const id = String(value)
  if (!isGroupId(id)) {
    throw badInput(`filter.exceptionGroups: '${id}' is not an exception group id`, {
      field: 'filter.exceptionGroups',
    })
  }
  return id
}

/** Converts the GraphQL input to the domain filter, naming the field of any bad value (400). */
export function toEventFilter(input: EventFilterInputShape | null | undefined): EventFilter {
  if (!input) return {}
  const ids = (name: string, values: readonly (string | number)[] | null | undefined) =>
    values?.map((value) => {
      const id = parseId(String(value))
      if (id === undefined) {
        throw badInput(`filter.${name}: '${String(value)}' is not a valid id`, { field: `filter.${name}` })
      }
      return id
    })
  if (input.from != null && input.to != null && input.from > input.to) {
    throw badInput('filter.from is after filter.to', { field: 'filter.from' })
  }
  const filter: { -readonly [K in keyof EventFilter]: EventFilter[K] } = {}
  if (input.from != null) filter.from = input.from
  if (input.to != null) filter.to = input.to
  const orgIds = ids('orgIds', input.orgIds)
  if (orgIds) filter.orgIds = orgIds
  const projectIds = ids('projectIds', input.projectIds)
  if (projectIds) filter.projectIds = projectIds
  const taskIds = ids('taskIds', input.taskIds)
  if (taskIds) filter.taskIds = taskIds
  const jobIds = ids('jobIds', input.jobIds)
  if (jobIds) filter.jobIds = jobIds
  const userIds = ids('userIds', input.userIds)
  if (userIds) filter.userIds = userIds
  if (input.userNames) filter.userNames = input.userNames
  if (input.scopes) filter.scopes = input.scopes
  if (input.sources) filter.sources = input.sources
  if (input.objNames) filter.objNames = input.objNames
  if (input.exceptionGroups) filter.exceptionGroups = input.exceptionGroups.map(groupId)
  if (input.requestIds) filter.requestIds = input.requestIds
  if (input.hasJob != null) filter.hasJob = input.hasJob
  return filter
}
