import {
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { AppError } from './errors.js'

export interface QueryLimits {
  /** Deepest selection nesting accepted. */
  readonly maxDepth: number
  /** Most aliased fields in one operation (aliases multiply work without deepening). */
  readonly maxAliases: number
  /**
   * Most estimated work: one per field, times the page sizes (`first`) of the lists above it, so
   * `jobs(first: 1000) { events(first: 1000) { … } }` is refused before it runs.
   */
  readonly maxCost: number
  /** The page size assumed for lists whose `first` is not given. */
  readonly defaultPageSize: number
  /** Larger pages are refused by the fields themselves (BAD_USER_INPUT); the estimate caps at it. */
  readonly maxPageSize: number
}

interface Measure {
  depth: number
  aliases: number
  cost: number
}

/**
 * Refuses operations that are too deep, too aliased or too costly before they execute, with
 * TOO_COMPLEX (HTTP 400). Runs on execute, where variables are known (`first: $first`).
 */
export function useQueryLimits(limits: QueryLimits): Plugin {
  const refusal = (args: unknown) => {
    // The plugin types leave args untyped; they are graphql-js's ExecutionArgs.
    const { document, operationName, variableValues } = args as ExecutionArgs
    const problem = check(document, operationName ?? undefined, variableValues ?? {}, limits)
    return problem ? { errors: [new AppError('TOO_COMPLEX', 400, problem, { limits })] } : undefined
  }
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refused = refusal(args)
      if (refused) setResultAndStopExecution(refused)
    },
    // Subscriptions too: every pushed event is executed with the operation's selection.
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = refusal(args)
      if (refused) setResultAndStopExecution(refused)
    },
  }
}

export function check(
  document: DocumentNode,
  operationName: string | undefined,
  variables: Readonly<Record<string, unknown>>,
  limits: QueryLimits,
): string | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>()
  let operation: OperationDefinitionNode | undefined
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition)
    if (
      definition.kind === Kind.OPERATION_DEFINITION &&
      (!operationName || definition.name?.value === operationName)
    ) {
      operation ??= definition
    }
  }
  if (!operation) return undefined
  const measure: Measure = { depth: 0, aliases: 0, cost: 0 }
  walk(operation.selectionSet, 1, 1, measure, { fragments, variables, limits, visiting: new Set() })
  if (measure.depth > limits.maxDepth)
    return `the operation is ${measure.depth} levels deep; at most ${limits.maxDepth} are allowed`
  if (measure.aliases > limits.maxAliases)
    return `the operation uses ${measure.aliases} aliases; at most ${limits.maxAliases} are allowed`
  if (measure.cost > limits.maxCost) {
    return `the operation would cost about ${measure.cost} (fields × page sizes); at most ${limits.maxCost} is allowed — ask for smaller pages`
  }
  return undefined
}

interface Walk {
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>
  readonly variables: Readonly<Record<string, unknown>>
  readonly limits: QueryLimits
  readonly visiting: Set<string>
}

function walk(set: SelectionSetNode, depth: number, multiplier: number, measure: Measure, ctx: Walk): void {
  measure.depth = Math.max(measure.depth, depth)
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) measure.aliases += 1
      measure.cost += multiplier
      if (!selection.selectionSet) continue
      const first = selection.arguments?.find((a) => a.name.value === 'first')
      const pageSize = first ? (numberOf(first.value, ctx.variables) ?? ctx.limits.defaultPageSize) : 1
      walk(
        selection.selectionSet,
        depth + 1,
        multiplier * Math.min(Math.max(1, pageSize), ctx.limits.maxPageSize),
        measure,
        ctx,
      )
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      walk(selection.selectionSet, depth, multiplier, measure, ctx)
    } else {
      const name = selection.name.value
      const fragment = ctx.fragments.get(name)
      if (!fragment || ctx.visiting.has(name)) continue // unknown or cyclic: validation reports it
      ctx.visiting.add(name)
      walk(fragment.selectionSet, depth, multiplier, measure, ctx)
      ctx.visiting.delete(name)
    }
  }
}

function numberOf(value: ValueNode, variables: Readonly<Record<string, unknown>>): number | undefined {
  if (value.kind === Kind.INT) return Number(value.value)
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value]
    return typeof v === 'number' ? v : undefined
  }
  return undefined
}
