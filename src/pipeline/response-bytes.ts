import type { ExecutionResult } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import type { AnswerBudget } from './answer-budget.js'
import { isCachedAnswer } from './cached-answer.js'

/**
 * Holds every GraphQL answer to GRAPHQL_MAX_RESPONSE_BYTES (see AnswerBudget, which the context
 * carries): once an operation spends its budget, its answer is that RESPONSE_TOO_LARGE error alone
 * (HTTP 400), without the data built so far. Large texts are counted before they are read, or as
 * the resolvers return them; everything else is bounded by the cost limit, and is measured here
 * once more before the answer is serialised, so no answer past the limit is ever written out.
 * Each event a subscription pushes is an answer of its own.
 */
export function useResponseBytes(): Plugin {
  return {
    onExecute({ args }) {
      const budget = budgetOf(args.contextValue)
      if (!budget) return
      return {
        onExecuteDone({ result, setResult }) {
          // A cached answer was measured when it was computed.
          if (!isSingle(result) || isCachedAnswer(result)) return
          const failure =
            budget.exceeded ??
            (result.data && jsonLarger(result.data, budget.limitBytes) ? budget.fail() : null)
          if (failure) setResult({ errors: [failure] })
        },
      }
    },
    onSubscribe({ args }) {
      const budget = budgetOf(args.contextValue)
      if (!budget) return
      return {
        onSubscribeResult() {
          return { onNext: () => budget.nextAnswer() }
        },
      }
    },
  }
}

function budgetOf(context: unknown): AnswerBudget | undefined {
  return (context as { answer?: AnswerBudget } | null)?.answer
}

function isSingle(result: unknown): result is ExecutionResult {
  return result !== null && typeof result === 'object' && !(Symbol.asyncIterator in result)
}

/**
 * Whether `value` as JSON takes more than `limit` bytes, walked without serialising it and given up
 * as soon as the count passes the limit. Strings count their UTF-16 length (escapes and multi-byte
 * characters aside: the large texts were counted exactly as resolvers returned them).
 */
export function jsonLarger(value: unknown, limit: number): boolean {
  let bytes = 0
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const item = stack.pop()
    if (typeof item === 'string') bytes += item.length + 2
    else if (item === null || typeof item !== 'object') bytes += 6
    else if (Array.isArray(item)) {
      bytes += 2 + item.length
      for (const element of item) stack.push(element)
    } else {
      bytes += 2
      for (const key in item) {
        bytes += key.length + 4
        stack.push((item as Record<string, unknown>)[key])
      }
    }
    if (bytes > limit) return true
  }
  return false
}
