import { expect } from 'vitest'
import type { EventRecord } from '../../src/domain/event.js'
import {
  AlertRuleDocument,
  CreateAlertRuleDocument,
  type AlertRuleInput,
  type AlertRuleQuery,
  type CreateAlertRuleMutation,
} from '../../src/gql/graphql.js'
import { emptyRecord } from '../../src/ingest/records.js'
import { startTestApp, type TestApp, type TestAppOptions } from './app.js'
import { as, ORGS, type Person } from './fixtures.js'
import { expectOk, graphql } from './graphql.js'

/** A clock tests move: the app's alert evaluations and deliveries read it. */
export class TestClock {
  constructor(public ms: number) {}
  readonly now = (): number => this.ms
  advance(ms: number): void {
    this.ms += ms
  }
}

export const MINUTE = 60_000

/**
 * The app for alert tests: alerts evaluated only when the test asks (services.alerts.evaluateNow)
 * at the test's clock, and webhooks allowed to 127.0.0.1 (the test receivers).
 */
export function startAlertApp(
  clock: TestClock,
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  return startTestApp(
    { ALERT_WEBHOOK_ALLOW_PRIVATE: 'true', ALERT_LINK_URL: 'https://grafana.example.test', ...env },
    { now: clock.now, evaluateAlerts: 'when-asked', ...options },
  )
}

/** An event of acme (unless the fields say otherwise) at `timestampMs`, as stored. */
export function eventAt(timestampMs: number, fields: Partial<EventRecord> = {}): EventRecord {
  return {
    ...emptyRecord(timestampMs),
    scope: 'change:frame',
    orgId: ORGS.acme.id,
    orgSlug: 'acme',
    ...fields,
  }
}

/** A reported error of acme with this message (its group follows from message and stack). */
export function exceptionAt(
  timestampMs: number,
  message: string,
  fields: Partial<EventRecord> = {},
): EventRecord {
  const payload = JSON.stringify({ message, stack: `Error: ${message}\n    at annotate (app.js:10:5)` })
  return eventAt(timestampMs, { scope: 'send:exception', source: 'client', payload, ...fields })
}

/** Stores events (through the writer, as ingest does) and waits until they are in the store. */
export async function store(t: TestApp, records: readonly EventRecord[]): Promise<void> {
  expect(await t.app.services.writer.write(records)).toBe('stored')
}

export type Rule = CreateAlertRuleMutation['createAlertRule']

/** Creates a rule through GraphQL as `person` working in `org` (null: in none). */
export async function createRule(
  t: TestApp,
  input: AlertRuleInput,
  person: Person = 'olivia',
  org: string | null = 'acme',
): Promise<Rule> {
  return expectOk(await graphql(t, CreateAlertRuleDocument, { input }, as(person, org ?? undefined)))
    .createAlertRule
}

export type RuleWithLog = AlertRuleQuery['alertRule']

/** A rule with its delivery log, read through GraphQL. */
export async function ruleWithLog(
  t: TestApp,
  id: string,
  person: Person = 'olivia',
  org: string | null = 'acme',
): Promise<RuleWithLog> {
  return expectOk(await graphql(t, AlertRuleDocument, { id, first: 50 }, as(person, org ?? undefined)))
    .alertRule
}
