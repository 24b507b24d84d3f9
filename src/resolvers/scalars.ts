import { JSONResolver } from 'graphql-scalars'
import { GraphQLError, Kind } from 'graphql'
import { builder } from '../builder.js'
import { formatTimestamp, parseTimestamp } from '../ingest/timestamps.js'

builder.addScalarType('JSON', JSONResolver)

/** Accepts ISO-8601 or epoch milliseconds (Grafana sends both); answers ISO-8601 in UTC. */
builder.scalarType('DateTime', {
  description:
    'A point in time: ISO-8601 (UTC when no offset is given) or epoch milliseconds on input; ISO-8601 UTC on output.',
  serialize: (value) =>
    typeof value === 'number' ? formatTimestamp(value) : formatTimestamp(Date.parse(value)),
  parseValue: (value) => parseDateTime(value),
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING) return parseDateTime(ast.value)
    if (ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parseDateTime(Number(ast.value))
    throw new GraphQLError('DateTime must be an ISO-8601 string or epoch milliseconds')
  },
})

function parseDateTime(value: unknown): number {
  const asNumber = typeof value === 'string' && /^\d{12,}$/.test(value) ? Number(value) : value
  const ms = parseTimestamp(asNumber)
  if (ms === undefined) {
    throw new GraphQLError(
      `DateTime must be an ISO-8601 string or epoch milliseconds, got ${JSON.stringify(value)}`,
    )
  }
  return ms
}
