import { lexicographicSortSchema, type GraphQLSchema } from 'graphql'
import { builder } from './builder.js'
import './resolvers/scalars.js'
import './resolvers/viewer.js'
import './resolvers/event.js'
import './resolvers/export.js'

/** Assembles the resolvers into the schema; no I/O, so printing it needs no database. */
export function buildSchema(): GraphQLSchema {
  return lexicographicSortSchema(builder.toSchema())
}
