import type { Access } from '../auth/principal.js'
import type { RequestInfo } from '../domain/request-info.js'
import type { EventFilter } from '../domain/filter.js'
import type { LiveChannel } from '../live/subscriber.js'
import type { AlertNotification } from './notification.js'
import type { AlertRuleChanges } from './rule.js'
import type { AlertRuleView, AlertService, AlertStateName } from './service.js'

/** What resolvers may do with alerts: the service, bound to one request's caller. */
export interface AlertRequest {
  list(selection?: { states?: readonly AlertStateName[]; filter?: EventFilter }): Promise<AlertRuleView[]>
  get(id: string): Promise<AlertRuleView>
  create(input: AlertRuleChanges): Promise<AlertRuleView>
  update(id: string, changes: AlertRuleChanges): Promise<AlertRuleView>
  remove(id: string): Promise<void>
  test(id: string): Promise<AlertNotification>
  deliveries(view: AlertRuleView, limit: number): Promise<AlertNotification[]>
  subscribe(): AsyncIterableIterator<AlertNotification>
}

/** Binds the alert service to one request: its access, and for subscriptions its credentials and transport. */
export function alertRequest(
  service: AlertService,
  info: RequestInfo,
  access: Access,
  channel: LiveChannel | undefined,
): AlertRequest {
  return {
    list: (selection) => service.list(access, selection),
    get: (id) => service.get(access, id),
    create: (input) => service.create(access, input),
    update: (id, changes) => service.update(access, id, changes),
    remove: (id) => service.remove(access, id),
    test: (id) => service.test(access, id),
    deliveries: (view, limit) => service.deliveries(view, limit),
    subscribe: () => service.subscribe(access, info, channel),
  }
}
