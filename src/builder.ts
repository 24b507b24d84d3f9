import SchemaBuilder from '@pothos/core'
import ComplexityPlugin from '@pothos/plugin-complexity'
import type { Context } from './context.js'
import { fieldCost } from './pipeline/operation-cost.js'

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

// The complexity plugin only annotates fields with their cost (graphql-cost.ts); the limit is
// checked before execution by useOperationLimits, so no `limit` is set here.
export const builder = new SchemaBuilder<SchemaTypes>({
  plugins: [ComplexityPlugin],
  defaultFieldNullability: false,
  complexity: { fieldComplexity: fieldCost, disabled: true },
})

builder.queryType({})
builder.mutationType({})
builder.subscriptionType({})
