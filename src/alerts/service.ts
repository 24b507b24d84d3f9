import { randomUUID } from 'node:crypto'
import { authorize } from '../auth/policy.js'
import type { Access } from '../auth/principal.js'
import type { EventFilter } from '../domain/filter.js'
import type { RequestInfo } from '../domain/request-info.js'
import { AppError, badInput, notFound } from '../errors.js'
import type { LiveChannel } from '../live/subscriber.js'
import type { Logger } from '../observability/logger.js'
import type { SubscriptionSlots } from '../auth/rate-limits.js'
import type { Store } from '../store/index.js'
import { assertManages, managesOrg, mayRead, ruleScope, type RuleScope } from './access.js'
import { recordAttempt } from './delivery.js'
import { AlertEvaluator, type AlertEvaluatorOptions } from './evaluator.js'
import { AlertFeed } from './feed.js'
import type { AlertNotification } from './notification.js'
import { AlertRecords } from './records.js'
import { MAX_RULES_PER_ORG, ruleMayMatch, type AlertRule, type AlertRuleChanges } from './rule.js'
import { changedRule, newRule, requiredOf } from './rule-changes.js'
import type { AlertState } from './state.js'
import { postWebhook } from './webhook.js'
import { checkWebhookUrl, type HostResolver } from './webhook-url.js'

export interface AlertServiceOptions extends Omit<AlertEvaluatorOptions, 'records' | 'feed' | 'now' | 'log'> {
  readonly store: Store
  readonly log: Logger
  /** The clock of evaluations and deliveries; tests move it. @default Date.now */
  readonly now?: () => number
  /** The slug of an organization the accounts file knows (notifications name it). */
  readonly orgSlug?: (orgId: string) => string | undefined
  /** How often live subscribers' replica asks the store for other replicas' firings. @default 2000 */
  readonly feedPollMs?: number
  /** Authenticates a live subscriber's credentials again, at every push (the service's authenticator). */
  readonly authenticate: (info: RequestInfo) => Promise<Access>
  /** Live subscriptions one principal may hold at once (RATE_LIMIT_SUBSCRIPTIONS, shared with the live hub's). */
  readonly slots?: Pick<SubscriptionSlots, 'acquire'>
  readonly resolve?: HostResolver
  /**
   * `every-minute`: the evaluator's timers run (and it tries to take the lease at once);
   * `when-asked`: only evaluateNow and deliverNow do anything (tests, with their clock). @default 'every-minute'
   */
  readonly evaluate?: 'every-minute' | 'when-asked'
}

/** A rule as one caller sees it. */
export interface AlertRuleView {
  readonly rule: AlertRule
  readonly state: AlertState
  /** Whether the caller manages it: only then are its webhook URL and delivery log shown. */
  readonly manageable: boolean
  /** The webhook secret, in the answer of the change that set it; null everywhere else. */
  readonly revealedSecret: string | null
}

/** The states a list may be narrowed to. */
export type AlertStateName = AlertState['state']

/**
 * Alert rules for every replica of the API: managed through GraphQL by admins and organizations'
 * owners and maintainers (src/alerts/access.ts), kept in the store, evaluated once a minute by the
 * replica holding the evaluation lease (AlertEvaluator), notified by signed webhooks with retries
 * and to live subscribers (AlertFeed).
 */
export class AlertService {
  readonly records: AlertRecords
  readonly feed: AlertFeed
  readonly evaluator: AlertEvaluator
  private readonly now: () => number
  private closing: Promise<void> | undefined

  private constructor(private readonly options: AlertServiceOptions) {
    this.now = options.now ?? Date.now
    this.records = new AlertRecords(options.store.alerts)
    this.feed = new AlertFeed({
      alerts: options.store.alerts,
      now: this.now,
      log: options.log,
      ...(options.feedPollMs === undefined ? {} : { pollMs: options.feedPollMs }),
    })
    this.evaluator = new AlertEvaluator({ ...options, records: this.records, feed: this.feed, now: this.now })
  }

  /** Builds the service and starts evaluating (on whichever replica wins the lease). */
  static open(options: AlertServiceOptions): AlertService {
    const service = new AlertService(options)
    if (options.evaluate !== 'when-asked') service.evaluator.start()
    return service
  }

  /**
   * The rules the caller may read (see access.ts), oldest first; `states` narrows them, and so
   * does `filter` to rules that may concern its events (ruleMayMatch).
   */
  async list(
    access: Access,
    selection: { states?: readonly AlertStateName[]; filter?: EventFilter } = {},
  ): Promise<AlertRuleView[]> {
    const scope = ruleScope(access)
    let rules: AlertRule[]
    if (scope.manages === 'all') rules = await this.records.rules()
    else if (scope.manages) rules = await this.records.rules({ orgIds: [scope.manages.orgId] })
    else if (scope.own && scope.own.orgIds.length > 0)
      rules = await this.records.rules({ orgIds: scope.own.orgIds })
    else rules = []
    const { states, filter } = selection
    const readable = rules.filter((r) => mayRead(scope, r) && (!filter || ruleMayMatch(r, filter)))
    const views = await this.views(scope, readable)
    return states ? views.filter((v) => states.includes(v.state.state)) : views
  }

  /** One rule; NOT_FOUND when it does not exist or the caller may not read it. */
  async get(access: Access, id: string): Promise<AlertRuleView> {
    const scope = ruleScope(access)
    const [view] = await this.views(scope, [await this.readable(scope, id)])
    return view as AlertRuleView
  }

  /** Creates a rule (see AlertRuleChanges); the answer shows its webhook secret, once. */
  async create(access: Access, input: AlertRuleChanges): Promise<AlertRuleView> {
    requiredOf(input)
    const orgId = input.orgId === undefined ? (access.org?.id ?? null) : input.orgId
    const scope = assertManages(access, orgId)
    // FORBIDDEN when the filter names what the caller may not see, as any read.
    authorize(access, input.filter ?? {})
    if ((await this.records.rules({ orgIds: [orgId] })).length >= MAX_RULES_PER_ORG) {
      throw badInput(
        `orgId: an organization has at most ${MAX_RULES_PER_ORG} alert rules; delete one first`,
        {
          field: 'orgId',
        },
      )
    }
    const known = access.org?.id === orgId ? access.org.slug : undefined
    const rule = newRule(input, {
      orgId,
      orgSlug: orgId === null ? null : (known ?? this.options.orgSlug?.(orgId) ?? null),
      createdBy: { userId: access.principal.user.id, username: access.principal.user.username },
      now: this.now(),
      webhookUrl: input.webhookUrl ? await this.checkUrl(input.webhookUrl) : null,
    })
    await this.records.saveRule(rule)
    const [view] = await this.views(scope, [rule])
    return { ...(view as AlertRuleView), revealedSecret: rule.webhookSecret }
  }

  /** Changes a rule (absent fields keep their value, null resets them; see AlertRuleChanges). */
  async update(access: Access, id: string, changes: AlertRuleChanges): Promise<AlertRuleView> {
    const current = await this.readable(ruleScope(access), id)
    const scope = assertManages(access, current.orgId)
    if (changes.filter) authorize(access, changes.filter)
    const rule = changedRule(current, changes, {
      now: this.now(),
      ...(changes.webhookUrl ? { webhookUrl: await this.checkUrl(changes.webhookUrl) } : {}),
    })
    await this.records.saveRule(rule)
    const [view] = await this.views(scope, [rule])
    const secret = changes.webhookSecret === undefined ? null : rule.webhookSecret
    return { ...(view as AlertRuleView), revealedSecret: secret }
  }

  /** Deletes a rule; its deliveries still pending are cancelled. */
  async remove(access: Access, id: string): Promise<void> {
    const current = await this.readable(ruleScope(access), id)
    assertManages(access, current.orgId)
    await this.options.store.alerts.deleteRule(id)
  }

  /**
   * Sends a test notification to the rule's webhook now, from this replica, once (no retries: the
   * answer says how it went), and records it in the delivery log.
   */
  async test(access: Access, id: string): Promise<AlertNotification> {
    const rule = await this.readable(ruleScope(access), id)
    assertManages(access, rule.orgId)
    if (!rule.webhookUrl) {
      throw badInput('webhookUrl: the rule has no webhook to test; set webhookUrl first', {
        field: 'webhookUrl',
      })
    }
    const at = this.now()
    const notification = this.evaluator.notificationOf(
      rule,
      'test',
      `${rule.id}:test:${randomUUID()}`,
      at,
      null,
    )
    const result = await postWebhook({
      url: rule.webhookUrl,
      body: notification.body,
      secret: rule.webhookSecret,
      idempotencyKey: notification.id,
      timeoutMs: this.options.timeoutMs ?? 5_000,
      allowPrivate: this.options.allowPrivate,
      ...(this.options.resolve ? { resolve: this.options.resolve } : {}),
    })
    const recorded = recordAttempt(notification, result, at, false)
    await this.records.saveNotification(recorded)
    return recorded
  }

  /** A rule's delivery log, newest first: empty unless the caller manages the rule. */
  async deliveries(view: AlertRuleView, limit: number): Promise<AlertNotification[]> {
    if (!view.manageable) return []
    return this.records.ruleNotifications(view.rule.id, limit)
  }

  /**
   * Firings and resolutions of the rules the caller may read, as they happen (on any replica),
   * until the client leaves or the service stops. The caller's credentials are checked again at
   * every push: a subscriber who lost access is ended with the reason (401 or 403).
   */
  subscribe(
    access: Access,
    info: RequestInfo,
    channel: LiveChannel | undefined,
  ): AsyncIterableIterator<AlertNotification> {
    if (!channel) {
      throw new AppError(
        'NOT_ACCEPTABLE',
        406,
        'subscriptions over HTTP need Accept: text/event-stream (server-sent events); or use a WebSocket at /graphql',
      )
    }
    ruleScope(access)
    const release = this.options.slots?.acquire(access)
    const gate = async (notification: AlertNotification) => {
      const scope = ruleScope(await this.options.authenticate(info))
      const [rule] = await this.records.rules({ ids: [notification.ruleId] })
      return rule ? mayRead(scope, rule) : managesOrg(scope, notification.orgId)
    }
    return this.feed.subscribe(gate, release)
  }

  /** Evaluates now, as the minute's timer does (tests call it with their clock); see AlertEvaluator. */
  evaluateNow(): Promise<boolean> {
    return this.evaluator.evaluateNow()
  }

  /** Delivers what is due now (lease holder only); see AlertEvaluator. */
  deliverNow(): Promise<void> {
    return this.evaluator.deliverNow()
  }

  /** Ends live subscriptions (they complete): the first part of a stop. */
  endSubscriptions(): void {
    this.feed.close()
  }

  /** Stops evaluating, lets deliveries in flight end, gives the lease up. */
  /** Idempotent: the app starts it as its stop begins, beside the requests in flight, and waits later. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.feed.close()
      await this.evaluator.close()
    })()
    return this.closing
  }

  private async checkUrl(url: string): Promise<string> {
    return checkWebhookUrl(url, {
      allowPrivate: this.options.allowPrivate,
      ...(this.options.resolve ? { resolve: this.options.resolve } : {}),
    })
  }

  private async readable(scope: RuleScope, id: string): Promise<AlertRule> {
    const [rule] = await this.records.rules({ ids: [id] })
    if (!rule || !mayRead(scope, rule)) throw notFound(`alert rule ${id} does not exist`)
    return rule
  }

  private async views(scope: RuleScope, rules: readonly AlertRule[]): Promise<AlertRuleView[]> {
    const states = await this.records.states(rules.map((r) => r.id))
    return rules.map((rule) => ({
      rule,
      state: states.get(rule.id) as AlertState,
      manageable: managesOrg(scope, rule.orgId),
      revealedSecret: null,
    }))
  }
}
