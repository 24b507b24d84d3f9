import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions'
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases'
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth'
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives'
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types'
import { createComplexityRule } from '@pothos/plugin-complexity'
import { validate, type ExecutionArgs, type GraphQLError, type ParseOptions, type Source } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { AppError } from '../errors.js'
import { parseWithLimits } from './limited-parse.js'

export interface OperationLimits {
  /** GRAPHQL_MAX_TOKENS: most lexical tokens in a document, counted while it is parsed. */
  readonly maxTokens: number
  /** GRAPHQL_MAX_DEPTH: deepest selection nesting (introspection's `__schema` is not counted). */
  readonly maxDepth: number
  /** GRAPHQL_MAX_ALIASES: most aliased fields in one operation. */
  readonly maxAliases: number
  /** GRAPHQL_MAX_DIRECTIVES: most directives in one operation. */
  readonly maxDirectives: number
  /** GRAPHQL_MAX_COST: most estimated work: fields × page sizes (see graphql-cost.ts). */
  readonly maxCost: number
}

/**
 * The operation limits, from kept libraries: tokens and nesting at parse time (graphql-js's
 * `maxTokens`, see graphql-parse.ts), then graphql-armor's depth, alias and directive rules and
 * Pothos's complexity rule (which knows page sizes and variables) during validation, so nothing
 * too large is executed. Every rule walks each fragment once, whatever the number of spreads.
 * Refusals are TOO_COMPLEX with HTTP 400. "Did you mean …" suggestions are hidden from everyone.
 */
export function useOperationLimits(limits: OperationLimits): Plugin[] {
  const refuse =
    (what: string): GraphQLArmorRejectCallback =>
    (validation, error) => {
      validation?.reportError(tooComplex(`${what}: ${error.message.replace(/^Syntax Error: /, '')}`, limits))
    }
  const armor = (what: string) => ({
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [refuse(what)],
  })
  return [
    {
      onParse({ setParseFn }) {
        setParseFn((source: string | Source, options?: ParseOptions) =>
          parseWithLimits(source, limits.maxTokens, options),
        )
      },
    },
    maxDepthPlugin({
      ...armor('the operation is too deep'),
      n: limits.maxDepth,
      ignoreIntrospection: true,
      flattenFragments: true,
    }),
    maxAliasesPlugin({ ...armor('the operation uses too many aliases'), n: limits.maxAliases }),
    maxDirectivesPlugin({ ...armor('the operation uses too many directives'), n: limits.maxDirectives }),
    blockFieldSuggestionsPlugin({ mask: '' }),
    {
      // Page sizes often come in variables, so the cost is checked where they are known; validate()
      // with this one rule, since yoga caches the standard validation by document alone.
      onExecute({ args, setResultAndStopExecution }) {
        const errors = costErrors(args, limits)
        if (errors.length > 0) setResultAndStopExecution({ errors })
      },
      onSubscribe({ args, setResultAndStopExecution }) {
        const errors = costErrors(args, limits)
        if (errors.length > 0) setResultAndStopExecution({ errors })
      },
    },
  ]
}

/** Pothos's complexity rule over the operation, with its variables; TOO_COMPLEX past GRAPHQL_MAX_COST. */
function costErrors(args: ExecutionArgs, limits: OperationLimits): readonly GraphQLError[] {
  const rule = createComplexityRule({
    variableValues: args.variableValues ?? {},
    operationName: args.operationName ?? null,
    context: args.contextValue ?? {},
    validate: (result, report) => {
      if (result.complexity > limits.maxCost) {
        report(
          tooComplex(
            `the operation would cost about ${result.complexity} (fields × page sizes); at most ${limits.maxCost} is allowed — ask for smaller pages`,
            limits,
          ),
        )
      }
    },
  })
  return validate(args.schema, args.document, [rule])
}

function tooComplex(message: string, limits: OperationLimits): GraphQLError {
  return new AppError('TOO_COMPLEX', 400, message, { limits })
}
