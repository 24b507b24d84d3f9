import type { AlertQueries } from '../store/index.js'
import { parseNotification, type AlertNotification } from './notification.js'
import { parseRule, type AlertRule } from './rule.js'
import { initialState, parseState, type AlertState } from './state.js'

/**
 * The alert records in the store, as the service's types: rules, their states and their
 * notifications (each a JSON document in its table, store/alert-*.ts).
 */
export class AlertRecords {
  constructor(readonly alerts: AlertQueries) {}

  async rules(selection?: {
    orgIds?: readonly (string | null)[]
    ids?: readonly string[]
  }): Promise<AlertRule[]> {
    const rows = await this.alerts.listRules({
      ...(selection?.orgIds ? { orgIds: selection.orgIds.map((id) => id ?? '') } : {}),
      ...(selection?.ids ? { ids: selection.ids } : {}),
    })
    return rows.flatMap((row) => parseRule(row.document) ?? [])
  }

  saveRule(rule: AlertRule): Promise<void> {
    return this.alerts.saveRule({ id: rule.id, orgId: rule.orgId ?? '', document: JSON.stringify(rule) })
  }

  /** Each rule's state (the initial one for rules never evaluated). */
  async states(ruleIds: readonly string[]): Promise<Map<string, AlertState>> {
    const states = new Map(ruleIds.map((id) => [id, initialState(id)]))
    for (const row of await this.alerts.listStates(ruleIds)) {
      const state = parseState(row.document)
      if (state) states.set(row.ruleId, state)
    }
    return states
  }

  saveStates(states: readonly AlertState[]): Promise<void> {
    return this.alerts.saveStates(states.map((s) => ({ ruleId: s.ruleId, document: JSON.stringify(s) })))
  }

  saveNotification(n: AlertNotification): Promise<void> {
    return this.alerts.saveNotification({
      id: n.id,
      ruleId: n.ruleId,
      status: n.status,
      createdAtMs: n.createdAt,
      nextAttemptAtMs: n.nextAttemptAt ?? 0,
      document: JSON.stringify(n),
    })
  }

  async notifications(ids: readonly string[]): Promise<AlertNotification[]> {
    const rows = await this.alerts.loadNotifications(ids)
    return rows.flatMap((row) => parseNotification(row.document) ?? [])
  }

  async ruleNotifications(ruleId: string, limit: number): Promise<AlertNotification[]> {
    const rows = await this.alerts.ruleNotifications(ruleId, limit)
    return rows.flatMap((row) => parseNotification(row.document) ?? [])
  }

  async due(nowMs: number, limit: number): Promise<AlertNotification[]> {
    const rows = await this.alerts.dueNotifications(nowMs, limit)
    return rows.flatMap((row) => parseNotification(row.document) ?? [])
  }
}
