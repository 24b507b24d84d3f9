import { randomBytes } from 'node:crypto'
import type { EventFilter } from '../domain/filter.js'
import { badInput } from '../errors.js'

/**
 * What a rule watches (src/alerts/evaluate.ts measures each):
 * - `exception_spike`: exceptions in the window ≥ threshold and ≥ factor × the window before;
 * - `new_exception_group`: exception groups first seen in the window ≥ threshold;
 * - `no_events`: no event in the window (the pipeline went quiet);
 * - `idle_job`: jobs in progress without an event for the window ≥ threshold;
 * - `quarantine`: events the CVAT-logger listener set aside in the window ≥ threshold.
 */
export const ALERT_KINDS = [
  'exception_spike',
  'new_exception_group',
  'no_events',
  'idle_job',
  'quarantine',
] as const
export type AlertKind = (typeof ALERT_KINDS)[number]

/** The window a rule gets when none is given, by kind (minutes). */
export const DEFAULT_WINDOW_MINUTES: Readonly<Record<AlertKind, number>> = {
  exception_spike: 15,
  new_exception_group: 60,
  no_events: 15,
  idle_job: 120,
  quarantine: 15,
}

/** Bounds of the settings (a week at most: longer windows read too much at every evaluation). */
export const MAX_WINDOW_MINUTES = 7 * 24 * 60
export const MAX_NAME_LENGTH = 200
export const MAX_URL_LENGTH = 2048
export const MIN_SECRET_LENGTH = 16
export const MAX_SECRET_LENGTH = 256
/** Rules one organization (or the service, for rules over every organization) may have. */
export const MAX_RULES_PER_ORG = 100

/** Who created a rule (for the audit trail; the rule belongs to its organization). */
export interface AlertRuleAuthor {
  readonly userId: string
  readonly username: string
}

/** One rule as the store keeps it (JSON in `alert_rules.document`). Times are epoch ms. */
export interface AlertRule {
  readonly version: 1
  readonly id: string
  readonly name: string
  readonly kind: AlertKind
  /** null: a rule over every organization (admins only). */
  readonly orgId: string | null
  /** The organization's slug when known (notifications and the Grafana panel show it). */
  readonly orgSlug: string | null
  readonly windowMinutes: number
  readonly threshold: number
  /** `exception_spike` only: how many times the window before it the count must be; null: no comparison. */
  readonly factor: number | null
  /** Which events the rule reads, without a time range (the window is the rule's); the organization's view applies. */
  readonly filter: EventFilter
  /** null: no webhook, the rule notifies live subscribers only. */
  readonly webhookUrl: string | null
  /** Signs every delivery (X-Signature-256); shown once, never returned by a query. */
  readonly webhookSecret: string
  readonly enabled: boolean
  readonly createdAt: number
  readonly updatedAt: number
  readonly createdBy: AlertRuleAuthor
}

/**
 * A rule's settings as given (GraphQL's AlertRuleInput, already converted). In an update an
 * absent field (undefined) keeps its value and null resets it: to no filter, no webhook, no factor,
 * the kind's default window, a threshold of 1, or (for the secret) a newly generated one.
 */
export interface AlertRuleChanges {
  readonly name?: string | null
  readonly orgId?: string | null
  readonly kind?: AlertKind | null
  readonly windowMinutes?: number | null
  readonly threshold?: number | null
  readonly factor?: number | null
  readonly filter?: EventFilter | null
  readonly webhookUrl?: string | null
  readonly webhookSecret?: string | null
  readonly enabled?: boolean | null
}

/** A new secret: 32 random bytes, base64url. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url')
}

const field = (name: string, message: string) => badInput(`${name}: ${message}`, { field: name })

export function checkName(value: string): string {
  const name = value.trim()
  if (name === '') throw field('name', 'must not be empty')
  if (name.length > MAX_NAME_LENGTH) throw field('name', `must be at most ${MAX_NAME_LENGTH} characters`)
  return name
}

export function checkWindow(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_WINDOW_MINUTES) {
    throw field('windowMinutes', `must be a whole number of minutes from 1 to ${MAX_WINDOW_MINUTES}`)
  }
  return value
}

export function checkThreshold(value: number): number {
  if (!Number.isInteger(value) || value < 1) throw field('threshold', 'must be a whole number of at least 1')
  return value
}

export function checkFactor(value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1_000_000) {
    throw field('factor', 'must be a number from 0 to 1000000')
  }
  return value
}

export function checkSecret(value: string): string {
  if (value.length < MIN_SECRET_LENGTH || value.length > MAX_SECRET_LENGTH) {
    throw field(
      'webhookSecret',
      `must be ${MIN_SECRET_LENGTH} to ${MAX_SECRET_LENGTH} characters (or leave it out to get a generated one)`,
    )
  }
  return value
}

/** A rule's filter has no time range: its window moves with every evaluation. */
export function checkRuleFilter(filter: EventFilter): EventFilter {
  if (filter.from !== undefined) throw field('filter.from', "a rule's window sets the time; leave from out")
  if (filter.to !== undefined) throw field('filter.to', "a rule's window sets the time; leave to out")
  return filter
}

/** Whether a kind reads `threshold` and `factor` (documented per kind; the others ignore them). */
export const USES_THRESHOLD: Readonly<Record<AlertKind, boolean>> = {
  exception_spike: true,
  new_exception_group: true,
  no_events: false,
  idle_job: true,
  quarantine: true,
}

/** Reads a rule's JSON (as the service saves it); undefined when it is not one. */
export function parseRule(text: string): AlertRule | undefined {
  try {
    const value = JSON.parse(text) as Partial<AlertRule>
    if (
      value.version !== 1 ||
      typeof value.id !== 'string' ||
      !ALERT_KINDS.includes(value.kind as AlertKind)
    ) {
      return undefined
    }
    return value as AlertRule
  } catch {
    return undefined
  }
}

/** The scopes a kind reads whatever its filter says. */
const IMPLIED_SCOPES: Partial<Record<AlertKind, readonly string[]>> = {
  exception_spike: ['send:exception'],
  new_exception_group: ['send:exception'],
}

/**
 * Whether a rule may concern the events of `filter` (a dashboard's selection): for every field
 * both name, they share a value (an absent or empty list is any value; the organization is the
 * rule's, the scopes include those its kind implies). Time bounds are not compared: a rule's state
 * is now.
 */
export function ruleMayMatch(rule: AlertRule, filter: EventFilter): boolean {
  const shares = (mine: readonly string[] | undefined, theirs: readonly string[] | undefined) =>
    !mine || mine.length === 0 || !theirs || theirs.length === 0 || mine.some((v) => theirs.includes(v))
  const ruleScopes =
    rule.filter.scopes && rule.filter.scopes.length > 0 ? rule.filter.scopes : IMPLIED_SCOPES[rule.kind]
  const f = rule.filter
  return (
    shares(rule.orgId === null ? f.orgIds : [rule.orgId], filter.orgIds) &&
    shares(f.projectIds, filter.projectIds) &&
    shares(f.taskIds, filter.taskIds) &&
    shares(f.jobIds, filter.jobIds) &&
    shares(f.userIds, filter.userIds) &&
    shares(f.userNames, filter.userNames) &&
    shares(ruleScopes, filter.scopes) &&
    shares(f.sources, filter.sources) &&
    shares(f.objNames, filter.objNames) &&
    shares(f.exceptionGroups, filter.exceptionGroups) &&
    (f.hasJob === undefined || filter.hasJob === undefined || f.hasJob === filter.hasJob)
  )
}
