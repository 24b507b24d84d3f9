import {
  createSourceEventStream,
  execute,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { CommittedEvent } from '../live/live-event.js'

type Results = Map<string, ExecutionResult | Promise<ExecutionResult>>

const documentIds = new WeakMap<DocumentNode, number>()
let nextDocumentId = 0

/**
 * Executes each pushed event once per operation, not once per subscriber: a thousand pages
 * watching an organization's exceptions with the same query receive the same result object,
 * executed for the first of them (the others only serialise and send it). Safe because the types
 * a subscription pushes (Event, ExceptionEvent) resolve from the event alone, never from the
 * context; who may receive an event is decided before (the hub's match against each
 * subscriber's authorized filter). Anything but a committed event (the end of a stream) is
 * executed as usual. Results are kept with the event and go with it.
 */
export function useSharedLiveResults(): Plugin {
  const byEvent = new WeakMap<CommittedEvent, Results>()
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const source = await createSourceEventStream(args)
        if (!isAsyncIterable(source)) return source
        const key = operationKey(args)
        return mapped(source[Symbol.asyncIterator](), (payload) => {
          if (!(payload instanceof CommittedEvent)) return execute({ ...args, rootValue: payload })
          let results = byEvent.get(payload)
          if (!results) byEvent.set(payload, (results = new Map() as Results))
          let result = results.get(key)
          if (!result) results.set(key, (result = execute({ ...args, rootValue: payload })))
          return result
        })
      })
    },
  }
}

/** What makes two subscriptions' results for one event identical: document, operation, variables. */
function operationKey(args: ExecutionArgs): string {
  let id = documentIds.get(args.document)
  if (id === undefined) documentIds.set(args.document, (id = nextDocumentId++))
  return `${id}\n${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}`
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function'
}

/**
 * The source's items mapped, with return() passed straight to the source (an async generator
 * would wait for the source's pending next() first: an idle subscription would never end).
 */
function mapped<T, U>(source: AsyncIterator<T>, map: (item: T) => U | Promise<U>): AsyncIterableIterator<U> {
  return {
    async next() {
      const item = await source.next()
      return item.done ? { value: undefined, done: true } : { value: await map(item.value), done: false }
    },
    async return() {
      await source.return?.()
      return { value: undefined, done: true }
    },
    async throw(error: unknown) {
      await source.return?.()
      throw error
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}
