import type { Access } from '../auth/principal.js'
import type { LiveConfig } from '../config.js'
import type { RequestInfo } from '../domain/request-info.js'
import type { Logger } from '../observability/logger.js'
import type { Metrics } from '../observability/metrics.js'
import { localBus, type LiveBus } from './bus.js'
import { watchAccess, type AccessWatchOptions } from './access-watch.js'
import { startLiveHub, type LiveHub, type LiveHubOptions } from './hub.js'

export interface LiveDependencies {
  readonly log: Logger
  readonly metrics: Pick<Metrics, 'subscriptions' | 'subscribersDropped' | 'liveBusFailures'>
  /** Re-authenticates a subscriber's credentials: the service's authenticator, asked afresh. */
  readonly authenticate: (info: RequestInfo) => Promise<Access>
  /** Where changes of accounts show (the accounts file): subscribers are re-checked on each. */
  readonly accounts: Pick<AccessWatchOptions, 'poll' | 'onChange'>
  /** Live subscriptions one principal may hold at once (RATE_LIMIT_SUBSCRIPTIONS). */
  readonly slots?: LiveHubOptions['slots']
}

/**
 * The live hub on its bus: in process, or through Redis when REDIS_URL is set (only then are
 * the Redis modules loaded).
 */
export async function startLive(config: LiveConfig, deps: LiveDependencies): Promise<LiveHub> {
  const bus: LiveBus = config.redisUrl
    ? await import('./redis-bus.js').then(({ createRedisBus }) =>
        createRedisBus({
          url: config.redisUrl as string,
          log: deps.log,
          onPublishFailure: () => deps.metrics.liveBusFailures.inc(),
        }),
      )
    : localBus()
  const hub = await startLiveHub({
    bus,
    authenticate: deps.authenticate,
    bufferEvents: config.bufferEvents,
    metrics: deps.metrics,
    log: deps.log,
    ...(deps.slots ? { slots: deps.slots } : {}),
  })
  const stopWatching = watchAccess(hub, {
    ...deps.accounts,
    recheckMs: config.recheckS * 1000,
    onError: (error) => deps.log.warn('could not re-check live subscribers', { error: String(error) }),
  })
  return {
    publish: (records) => hub.publish(records),
    subscribe: (request, access) => hub.subscribe(request, access),
    recheck: () => hub.recheck(),
    get size() {
      return hub.size
    },
    close(graceMs) {
      stopWatching()
      return hub.close(graceMs)
    },
  }
}
