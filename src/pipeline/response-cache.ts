import { createHash } from 'node:crypto'
import type { DocumentNode, ExecutionResult } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import { LRUCache } from 'lru-cache'
import { policyInputs } from '../auth/policy.js'
import type { Access } from '../auth/principal.js'
import type { Context } from '../context.js'
import { webSocketOperationOf } from '../transports/websocket-operation.js'
import { cachedAnswer } from './cached-answer.js'
import { alignedVariables, queryShape } from './dashboard-alignment.js'

export interface ResponseCacheOptions {
  /** RESPONSE_CACHE_TTL_MS; 0 turns the cache off. */
  readonly ttlMs: number
  /** Most answers kept, least recently used dropped first. @default 1000 */
  readonly maxEntries?: number
  /** Most bytes of answers kept (their JSON text: V8 keeps an ASCII text at a byte a character). @default 128 MiB */
  readonly maxBytes?: number
  /** Answers larger than this (bytes of JSON text) are sent, never kept. @default 16 MiB */
  readonly maxAnswerBytes?: number
  /** The clock ranges are aligned by. @default Date.now */
  readonly now?: () => number
  /** Told of every cacheable query: answered from the cache, by joining an identical one under way, or computed. */
  readonly onLookup?: (result: CacheLookup) => void
}

/** What became of a cacheable query: `hit` (a kept answer), `joined` (one being computed), `miss` (computed). */
export type CacheLookup = 'hit' | 'joined' | 'miss'

/**
 * A short-lived cache of query answers over HTTP, so a dashboard refreshed by many viewers costs
 * one computation per TTL, not one per refresh and viewer.
 *
 * - **What is kept**: the answer's JSON text, written once when it is computed (yoga sends that
 *   text, so a miss serialises no more than without a cache) and sent as is on a hit (no walk, no
 *   serialisation). Answers with errors or larger than `maxAnswerBytes` are not kept. Identical
 *   queries arriving while one is computed wait for it instead of computing it again.
 * - **The key**: the printed document, the operation, its variables (coerced) and who asks. For a
 *   query whose root fields are all answered through the access policy alone (events and their
 *   aggregations, see QueryShape.shared), who asks is what the policy computes for the caller
 *   (policyInputs: its visibility, read right and, outside an organization, its memberships),
 *   so viewers with the same rights share answers and none gets another view's. For anything
 *   else (`viewer`, `quarantine`…) it is the principal: user, role, token, identity source and
 *   organization with the role there.
 * - **Dashboards**: a grafana token's request whose EventFilter ends near now (a relative range,
 *   whose `$__from`/`$__to` move with every refresh) is asked for the range aligned to the TTL,
 *   and `from` to its bucket (alignedVariables): refreshes within one TTL share one answer, which
 *   ends at most one TTL before the range asked for.
 * - **Never cached**: mutations, subscriptions, operations over WebSocket, export statuses, alert
 *   rules, introspection. Credentials are checked (in the context) before the cache is looked
 *   up; rate limits count cached answers too. Within the TTL an answer may miss events stored
 *   meanwhile, and a role change takes effect after it.
 */
export function useGraphQLResponseCache(options: ResponseCacheOptions): Plugin {
  const ttl = options.ttlMs
  // Off: no plugin at all.
  if (ttl <= 0) return {}
  const now = options.now ?? Date.now
  const counted = options.onLookup ?? (() => undefined)
  const cache = new LRUCache<string, string>({
    max: options.maxEntries ?? 1000,
    maxSize: options.maxBytes ?? 128 * 2 ** 20,
    maxEntrySize: options.maxAnswerBytes ?? 16 * 2 ** 20,
    sizeCalculation: (text) => Math.max(1, text.length),
    ttl,
  })
  const running = new Map<string, Promise<string | null>>()
  return {
    onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
      const context = args.contextValue as unknown as Partial<Context> & { request?: unknown }
      if (context.request === undefined || webSocketOperationOf(context) || !context.access) return
      const document = args.document as DocumentNode
      const operationName = args.operationName as string | null | undefined
      const shape = queryShape(document, operationName)
      if (!shape?.cacheable) return
      const access = context.access
      const asked = (args.variableValues ?? {}) as Record<string, unknown>
      const variables =
        access.principal.token?.kind === 'grafana'
          ? alignedVariables(asked, shape.filters, ttl, now())
          : asked
      const key = keyOf(shape.text, operationName, variables, whoAsks(access, shape.shared))
      if (key === null) return
      const hit = cache.get(key)
      if (hit !== undefined) {
        counted('hit')
        setResultAndStopExecution(cachedAnswer(hit))
        return
      }
      type Args = Parameters<typeof executeFn>[0]
      const execute = (a: Args) =>
        executeFn(variables === asked ? a : { ...a, variableValues: variables }) as Promise<ExecutionResult>
      const computing = running.get(key)
      if (computing) {
        counted('joined')
        // Someone computes this answer now: wait for it (and compute it only if that failed).
        setExecuteFn(async (a: Args) => {
          const text = await computing
          return text === null ? execute(a) : cachedAnswer(text)
        })
        return
      }
      counted('miss')
      let settle!: (text: string | null) => void
      running.set(
        key,
        new Promise<string | null>((resolve) => {
          settle = (text) => {
            running.delete(key)
            resolve(text)
          }
        }),
      )
      setExecuteFn(async (a: Args) => {
        try {
          return await execute(a)
        } catch (error) {
          settle(null)
          throw error
        }
      })
      return {
        onExecuteDone({ result, setResult }) {
          const single = result as ExecutionResult
          const keep =
            !(Symbol.asyncIterator in single) &&
            !single.errors?.length &&
            single.data != null &&
            (single.extensions as { http?: unknown } | undefined)?.http === undefined
          if (!keep) return settle(null)
          // yoga would write exactly this (nothing to omit without errors or http extensions).
          const text = JSON.stringify(single)
          cache.set(key, text)
          settle(text)
          setResult({ ...single, stringify: () => text } as ExecutionResult)
        },
      }
    },
  }
}

/** Who asks, as far as the answer depends on it (see useGraphQLResponseCache); null: never cache. */
function whoAsks(access: Access, shared: boolean): string | null {
  if (shared) {
    const inputs = policyInputs(access)
    // Null: the policy refuses this caller; the answer is an error, computed for it alone.
    return inputs === null ? null : `policy:${inputs}`
  }
  const { user, token, source } = access.principal
  // Where the identity came from and, for CVAT, how the caller signed in: answers (viewer, and
  // the rules, which differ by source) differ by them for one user id.
  const cvat = source.kind === 'cvat' ? [source.identity.credential, source.identity.isSuperuser] : null
  return `principal:${JSON.stringify([user.id, user.role, token?.id ?? null, source.kind, cvat, access.org?.id ?? null, access.orgRole])}`
}

function keyOf(
  text: string,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>>,
  who: string | null,
): string | null {
  if (who === null) return null
  let json: string
  try {
    json = JSON.stringify([text, operationName ?? null, variables, who])
  } catch {
    // Variables too deep to serialise (a hostile payload): not cached.
    return null
  }
  // Node's own hash: WebCrypto's (asynchronous) was a fifth of a hit's CPU time (bench/cache.ts).
  return createHash('sha256').update(json).digest('hex')
}
