import { createRedisEventTarget } from '@graphql-yoga/redis-event-target'
import { Redis } from 'ioredis'
import type { Logger } from '../observability/logger.js'
import type { CommittedBatch, LiveBus } from './bus.js'

export interface RedisBusOptions {
  /** `REDIS_URL`, e.g. `redis://redis:6379/0`. */
  readonly url: string
  /** The channel every replica publishes to and listens on. @default 'annotation-analytics:events' */
  readonly channel?: string
  /** How long start-up waits for the subscription before going on without it. @default 5000 */
  readonly connectTimeoutMs?: number
  readonly log: Logger
  /** Counts batches that could not be published (Redis unreachable). */
  readonly onPublishFailure?: () => void
}

/**
 * Committed batches through Redis pub/sub, so a subscriber on any replica receives the events
 * stored through every other (graphql-yoga's Redis event target over ioredis). This module is
 * only imported when REDIS_URL is set. Redis pub/sub delivers at most once: while Redis is away,
 * batches are not pushed (they are stored all the same) and the failures are counted; ioredis
 * reconnects by itself.
 */
export async function createRedisBus(options: RedisBusOptions): Promise<LiveBus> {
  const { url, log } = options
  const channel = options.channel ?? 'annotation-analytics:events'
  // A publish that cannot reach Redis fails fast instead of queueing without bound.
  const publishClient = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
  const subscribeClient = new Redis(url)
  for (const [name, client] of [
    ['publish', publishClient],
    ['subscribe', subscribeClient],
  ] as const) {
    let healthy = true
    client.on('error', (error: Error) => {
      if (healthy)
        log.warn('redis connection failed; live events from other replicas wait', { client: name, error })
      healthy = false
    })
    client.on('ready', () => {
      if (!healthy) log.info('redis connection back', { client: name })
      healthy = true
    })
  }
  // The event target ignores the promise publish returns; this one reports its failure instead of
  // leaving an unhandled rejection behind.
  const publisher = Object.create(publishClient, {
    publish: {
      value: (topic: string, message: string) =>
        publishClient.publish(topic, message).catch((error: unknown) => {
          options.onPublishFailure?.()
          log.debug('redis publish failed', { error: String(error) })
        }),
    },
  }) as Redis
  const target = createRedisEventTarget<CustomEvent<CommittedBatch>>({
    publishClient: publisher,
    subscribeClient,
    serializer: {
      stringify: (batch) =>
        JSON.stringify(batch, (key, value: unknown) => (key === 'remoteAddr' ? undefined : value)),
      parse: (text) => JSON.parse(text) as unknown,
    },
  })
  const timeoutMs = options.connectTimeoutMs ?? 5_000
  // A replica starts without Redis too (ioredis keeps reconnecting); it only waits a little for it.
  await withTimeout(Promise.all([readyOf(publishClient), readyOf(subscribeClient)]), timeoutMs).catch(() =>
    log.warn('redis not reachable yet; starting without it', { url: redactedUrl(url) }),
  )
  return {
    shared: true,
    send: (batch) => void target.dispatchEvent(new CustomEvent(channel, { detail: batch })),
    listen(deliver) {
      target.addEventListener(channel, (event) => deliver(event.detail))
      // Listening once Redis confirms the subscription, or given up waiting (it follows when Redis does).
      return withTimeout(subscribeClient.subscribe(channel), timeoutMs).then(
        () => undefined,
        (error: unknown) => log.warn('redis subscription not confirmed yet', { error: String(error) }),
      )
    },
    async close() {
      subscribeClient.disconnect()
      await publishClient.quit().catch(() => publishClient.disconnect())
    },
  }
}

function readyOf(client: Redis): Promise<void> {
  return client.status === 'ready'
    ? Promise.resolve()
    : new Promise((resolve) => client.once('ready', () => resolve()))
}

/** The URL without its password, for logs. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'redis://…'
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
