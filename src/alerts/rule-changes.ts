import { randomUUID } from 'node:crypto'
import { badInput } from '../errors.js'
import {
  checkFactor,
  checkName,
  checkRuleFilter,
  checkSecret,
  checkThreshold,
  checkWindow,
  DEFAULT_WINDOW_MINUTES,
  generateSecret,
  type AlertKind,
  type AlertRule,
  type AlertRuleAuthor,
  type AlertRuleChanges,
} from './rule.js'

const field = (name: string, message: string) => badInput(`${name}: ${message}`, { field: name })

/** A rule's name and kind, which a new rule must have (BAD_USER_INPUT naming the missing one). */
export function requiredOf(input: AlertRuleChanges): { name: string; kind: AlertKind } {
  if (!input.name) throw field('name', 'a rule needs a name')
  if (!input.kind) throw field('kind', 'a rule needs a kind')
  return { name: input.name, kind: input.kind }
}

/** What the service decided around a new rule: its organization, author, time and checked webhook URL. */
export interface NewRuleContext {
  readonly orgId: string | null
  readonly orgSlug: string | null
  readonly createdBy: AlertRuleAuthor
  readonly now: number
  /** `input.webhookUrl` as checkWebhookUrl returned it (null: none). */
  readonly webhookUrl: string | null
}

/**
 * A new rule from its input, every setting checked (BAD_USER_INPUT naming the field) or defaulted:
 * the kind's window, threshold 1, no factor, no filter, enabled, a generated secret.
 */
export function newRule(input: AlertRuleChanges, context: NewRuleContext): AlertRule {
  const { name, kind } = requiredOf(input)
  if (kind === 'quarantine' && context.orgId !== null) {
    throw field(
      'kind',
      'QUARANTINE watches events no organization owns; an admin creates it without an organization (orgId: null)',
    )
  }
  return {
    version: 1,
    id: randomUUID(),
    name: checkName(name),
    kind,
    orgId: context.orgId,
    orgSlug: context.orgSlug,
    windowMinutes:
      input.windowMinutes == null ? DEFAULT_WINDOW_MINUTES[kind] : checkWindow(input.windowMinutes),
    threshold: input.threshold == null ? 1 : checkThreshold(input.threshold),
    factor: input.factor == null ? null : checkFactor(input.factor),
    filter: checkRuleFilter(input.filter ?? {}),
    webhookUrl: context.webhookUrl,
    webhookSecret: input.webhookSecret ? checkSecret(input.webhookSecret) : generateSecret(),
    enabled: input.enabled ?? true,
    createdAt: context.now,
    updatedAt: context.now,
    createdBy: context.createdBy,
  }
}

/**
 * A rule with changes applied: an absent field keeps its value, null resets it (see
 * AlertRuleChanges). Its kind and organization stay (BAD_USER_INPUT when changed). `webhookUrl`
 * is the changed URL as checkWebhookUrl returned it, when `changes.webhookUrl` names one.
 */
export function changedRule(
  current: AlertRule,
  changes: AlertRuleChanges,
  context: { readonly now: number; readonly webhookUrl?: string | null },
): AlertRule {
  if (changes.orgId !== undefined && changes.orgId !== current.orgId) {
    throw field('orgId', 'a rule stays in its organization; create a new rule there instead')
  }
  if (changes.kind != null && changes.kind !== current.kind) {
    throw field('kind', 'a rule keeps its kind; create a new rule instead')
  }
  if (changes.name === null) throw field('name', 'a rule needs a name')
  /** The changed value of a setting: kept when absent, reset when null, checked otherwise. */
  const change = <T>(value: T | null | undefined, kept: T, reset: T, check: (v: T) => T): T =>
    value === undefined ? kept : value === null ? reset : check(value)
  return {
    ...current,
    name: changes.name === undefined ? current.name : checkName(changes.name),
    windowMinutes: change(
      changes.windowMinutes,
      current.windowMinutes,
      DEFAULT_WINDOW_MINUTES[current.kind],
      checkWindow,
    ),
    threshold: change(changes.threshold, current.threshold, 1, checkThreshold),
    factor: change<number | null>(changes.factor, current.factor, null, (f) => checkFactor(f as number)),
    filter: change(changes.filter, current.filter, {}, checkRuleFilter),
    webhookUrl: changes.webhookUrl === undefined ? current.webhookUrl : (context.webhookUrl ?? null),
    webhookSecret: change(changes.webhookSecret, current.webhookSecret, generateSecret(), checkSecret),
    enabled: change(changes.enabled, current.enabled, true, (e) => e),
    updatedAt: context.now,
  }
}
