import type { FieldComplexityValue } from '@pothos/plugin-complexity'
import { getNullableType, isListType, type GraphQLField } from 'graphql'

/** What a list without a page-size argument is assumed to hold (Pothos's own default). */
export const UNSIZED_LIST_ITEMS = 10

/**
 * The estimated work of one field, for Pothos's complexity rule (GRAPHQL_MAX_COST): 1 per field,
 * and what it selects multiplied by how many items it returns: its `first` (the schema's default
 * when not given, so `events { … }` costs 50 items; at most the context's MAX_PAGE_SIZE), 1 for a connection's `edges`/`nodes` (the
 * connection's `first` already counted them), UNSIZED_LIST_ITEMS for any other list.
 */
export function fieldCost<C>(
  args: Record<string, unknown>,
  context: C,
  field: GraphQLField<unknown, C, Record<string, unknown>>,
): FieldComplexityValue {
  if (field.args.some((arg) => arg.name === 'first')) {
    const first = typeof args.first === 'number' && Number.isFinite(args.first) ? args.first : 1
    // Pages past MAX_PAGE_SIZE are refused by the field itself (BAD_USER_INPUT, naming `first`).
    const cap = (context as { limits?: { maxPageSize?: number } } | null)?.limits?.maxPageSize ?? Infinity
    return { field: 1, multiplier: Math.min(Math.max(1, first), cap) }
  }
  if (!isListType(getNullableType(field.type))) return 1
  const connectionItems = field.name === 'edges' || field.name === 'nodes'
  return { field: 1, multiplier: connectionItems ? 1 : UNSIZED_LIST_ITEMS }
}
