import type { AuthorizedFilter } from '../domain/filter.js'
import { claimLeaseTerm, currentLeaseTerm, type LeaseTerm } from './alert-lease.js'
import {
  countAlertEvents,
  countQuarantined,
  idleJobs,
  newExceptionGroups,
  type IdleJob,
  type NewExceptionGroup,
} from './alert-measures.js'
import {
  dueAlertNotifications,
  loadAlertNotifications,
  recentAlertNotifications,
  ruleAlertNotifications,
  saveAlertNotification,
  type AlertNotificationRow,
} from './alert-notifications.js'
import {
  deleteAlertRule,
  listAlertRules,
  listAlertStates,
  saveAlertRule,
  saveAlertStates,
  type AlertRuleRow,
  type AlertStateRow,
} from './alert-rules.js'
import type { Engine } from './engine.js'
import type { Cube } from './rollups/cube.js'

/**
 * Alerts' rules, states, notifications and evaluation lease, shared by every replica of the API
 * (each change a new version; reads see the latest), and what rules measure.
 */
export interface AlertQueries {
  saveRule(row: AlertRuleRow): Promise<void>
  deleteRule(id: string): Promise<void>
  /** Rules by their latest version: all, or of some organizations ('' = every organization), or of some ids. */
  listRules(selection?: { orgIds?: readonly string[]; ids?: readonly string[] }): Promise<AlertRuleRow[]>
  /** States of some rules, in one insert. */
  saveStates(rows: readonly AlertStateRow[]): Promise<void>
  listStates(ruleIds: readonly string[]): Promise<AlertStateRow[]>
  saveNotification(row: AlertNotificationRow): Promise<void>
  loadNotifications(ids: readonly string[]): Promise<AlertNotificationRow[]>
  /** Pending notifications whose next attempt is due by `nowMs`, the longest waiting first. */
  dueNotifications(nowMs: number, limit: number): Promise<AlertNotificationRow[]>
  /** A rule's notifications, newest first. */
  ruleNotifications(ruleId: string, limit: number): Promise<AlertNotificationRow[]>
  /** Notifications created since `sinceMs`, oldest first. */
  recentNotifications(sinceMs: number, limit: number): Promise<AlertNotificationRow[]>
  /** The latest term of a lease (undefined: never claimed). */
  leaseTerm(name: string): Promise<LeaseTerm | undefined>
  claimLease(name: string, claim: LeaseTerm): Promise<void>
  /** Events of the filter within its from/to. */
  countEvents(filter: AuthorizedFilter): Promise<number>
  /** Exception groups first seen within the filter's from/to (the filter keeps to send:exception). */
  newExceptionGroups(filter: AuthorizedFilter, limit: number): Promise<NewExceptionGroup[]>
  /** Jobs in progress (state set since `sinceMs`) without activity since `quietSinceMs`. */
  idleJobs(
    filter: AuthorizedFilter,
    times: { sinceMs: number; quietSinceMs: number; toMs: number },
    limit: number,
  ): Promise<IdleJob[]>
  /** Events the CVAT-logger listener set aside in [fromMs, toMs]. */
  countQuarantined(fromMs: number, toMs: number): Promise<number>
}

export function createAlertQueries(engine: Engine, cube: Cube): AlertQueries {
  return {
    saveRule: (row) => saveAlertRule(engine, row),
    deleteRule: (id) => deleteAlertRule(engine, id),
    listRules: (selection) => listAlertRules(engine, selection),
    saveStates: (rows) => saveAlertStates(engine, rows),
    listStates: (ruleIds) => listAlertStates(engine, ruleIds),
    saveNotification: (row) => saveAlertNotification(engine, row),
    loadNotifications: (ids) => loadAlertNotifications(engine, ids),
    dueNotifications: (nowMs, limit) => dueAlertNotifications(engine, nowMs, limit),
    ruleNotifications: (ruleId, limit) => ruleAlertNotifications(engine, ruleId, limit),
    recentNotifications: (sinceMs, limit) => recentAlertNotifications(engine, sinceMs, limit),
    leaseTerm: (name) => currentLeaseTerm(engine, name),
    claimLease: (name, claim) => claimLeaseTerm(engine, name, claim),
    countEvents: (filter) => countAlertEvents(engine, cube, filter),
    newExceptionGroups: (filter, limit) => newExceptionGroups(engine, cube, filter, limit),
    idleJobs: (filter, times, limit) => idleJobs(engine, cube, filter, times, limit),
    countQuarantined: (fromMs, toMs) => countQuarantined(engine, fromMs, toMs),
  }
}

export type { AlertNotificationRow, AlertRuleRow, AlertStateRow, IdleJob, LeaseTerm, NewExceptionGroup }
