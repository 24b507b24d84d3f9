import { lexicographicSortSchema, type GraphQLSchema } from 'graphql'
import { builder } from './builder.js'
import './resolvers/scalars.js'
import './resolvers/viewer.js'
import './resolvers/event.js'
import './resolvers/activity.js'
import './resolvers/working-time.js'
import './resolvers/active-users.js'
import './resolvers/scope-durations.js'
import './resolvers/exceptions.js'
import './resolvers/exceptions-over-time.js'
import './resolvers/exception-groups.js'
import './resolvers/exception-report.js'
import './resolvers/platforms.js'
import './resolvers/filter-options.js'
import './resolvers/entities.js'
import './resolvers/productivity.js'
import './resolvers/idle-gaps.js'
import './resolvers/job-flow.js'
import './resolvers/log-events.js'
import './resolvers/export.js'
import './resolvers/live.js'
import './resolvers/quarantine.js'

/** Assembles the resolvers into the schema; no I/O, so printing it needs no database. */
export function buildSchema(): GraphQLSchema {
  return lexicographicSortSchema(builder.toSchema())
}
