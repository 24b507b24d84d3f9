import SchemaBuilder from '@pothos/core'
import type { Context } from './context.js'

/** Scalar shapes: `DateTime` travels as epoch milliseconds inside the service, ISO-8601 outside. */
export interface SchemaTypes {
  Context: Context
  // Fields are non-null unless they say otherwise: absence is the exception, not the rule.
  DefaultFieldNullability: false
  Scalars: {
    DateTime: { Input: number; Output: number | string }
    JSON: { Input: unknown; Output: unknown }
  }
}

export const builder = new SchemaBuilder<SchemaTypes>({ defaultFieldNullability: false })

builder.queryType({})
builder.mutationType({})
builder.subscriptionType({})
