import { JSONResolver } from 'graphql-scalars'
import { GraphQLError, Kind, type ValueNode } from 'graphql'
import { builder } from '../builder.js'
import { describe } from '../ingest/fields.js'
import { formatTimestamp, parseTimestamp, timeOffsetProblem } from '../ingest/timestamps.js'

builder.addScalarType('JSON', JSONResolver)

/** Accepts ISO-8601 or epoch milliseconds (Grafana sends both); answers ISO-8601 in UTC. */
builder.scalarType('DateTime', {
  description:
    'A point in time: ISO-8601 (UTC when no offset is given) or epoch milliseconds on input; ISO-8601 UTC on output.',
  serialize: (value) =>
    typeof value === 'number' ? formatTimestamp(value) : formatTimestamp(Date.parse(value)),
  parseValue: (value) => parseDateTime(value),
  // The literal travels with the error, so the answer can name the argument or input field it is
  // in (useInputFieldNames).
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING) return parseDateTime(ast.value, ast)
    if (ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parseDateTime(Number(ast.value), ast)
    throw new GraphQLError('DateTime must be an ISO-8601 string or epoch milliseconds', { nodes: ast })
  },
})

function parseDateTime(value: unknown, node?: ValueNode): number {
  const asNumber = typeof value === 'string' && /^\d{12,}$/.test(value) ? Number(value) : value
  const ms = parseTimestamp(asNumber)
  if (ms === undefined) {
    const offset = timeOffsetProblem(value)
    const shown = describe(value)
    throw new GraphQLError(
      offset
        ? `DateTime ${shown} is not a time: ${offset}`
        : `DateTime must be an ISO-8601 string or epoch milliseconds from 2000 to 2099, got ${shown}`,
      node ? { nodes: node } : {},
    )
  }
  return ms
}
