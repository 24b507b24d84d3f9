import type { AlertRuleChanges } from '../alerts/rule.js'
import type { AlertRuleView } from '../alerts/service.js'
import { builder } from '../builder.js'
import { parseId } from '../domain/ids.js'
import { badInput } from '../errors.js'
import { AlertDeliveryType } from './alert-delivery.js'
import { EventFilterInput, toEventFilter } from './event-filter.js'

export const AlertKindEnum = builder.enumType('AlertKind', {
  description: 'What an alert rule watches, over its window (`windowMinutes`), in its organization.',
  values: {
    EXCEPTION_SPIKE: {
      value: 'exception_spike',
      description:
        'Exceptions (send:exception) matching the filter in the window ≥ threshold, and ≥ factor × those of the window before (no comparison without a factor). Default window 15 min.',
    },
    NEW_EXCEPTION_GROUP: {
      value: 'new_exception_group',
      description:
        'Exception groups seen for the first time (within the filter) in the window ≥ threshold (default 1). Default window 60 min: it resolves once no group is that new.',
    },
    NO_EVENTS: {
      value: 'no_events',
      description:
        'No event matching the filter in the window: the pipeline went quiet (e.g. `sources: ["server"]`, CVAT\'s logger). Threshold and factor are ignored. Default window 15 min.',
    },
    IDLE_JOB: {
      value: 'idle_job',
      description:
        "Jobs in state 'in progress' (their latest update:job of field state, within 30 days) without an event for the window ≥ threshold (default 1). The filter's ids choose the jobs, the rest what counts as activity. Default window 120 min.",
    },
    QUARANTINE: {
      value: 'quarantine',
      description:
        'Events the CVAT-logger listener set aside in the window ≥ threshold (default 1). Over every organization: admins only. Default window 15 min.',
    },
  } as const,
})

export const AlertStateEnum = builder.enumType('AlertState', {
  values: {
    OK: { value: 'ok', description: 'Not firing (or disabled, or not evaluated yet).' },
    FIRING: { value: 'firing', description: 'Its condition held at the last evaluation.' },
  } as const,
})

export const AlertRuleType = builder.objectRef<AlertRuleView>('AlertRule').implement({
  description:
    'An alert rule: evaluated every minute by one replica; one notification when it fires and one when it resolves (webhook and Subscription.alerts).',
  fields: (t) => ({
    id: t.id({ resolve: (v) => v.rule.id }),
    name: t.string({ resolve: (v) => v.rule.name }),
    kind: t.field({ type: AlertKindEnum, resolve: (v) => v.rule.kind }),
    orgId: t.id({
      nullable: true,
      description: 'Its organization; null: a rule over every organization (admins).',
      resolve: (v) => v.rule.orgId,
    }),
    orgSlug: t.string({ nullable: true, resolve: (v) => v.rule.orgSlug }),
    state: t.field({ type: AlertStateEnum, resolve: (v) => v.state.state }),
    firingSince: t.field({ type: 'DateTime', nullable: true, resolve: (v) => v.state.firingSince }),
    lastFiredAt: t.field({ type: 'DateTime', nullable: true, resolve: (v) => v.state.lastFiredAt }),
    lastResolvedAt: t.field({ type: 'DateTime', nullable: true, resolve: (v) => v.state.lastResolvedAt }),
    lastEvaluatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The minute last evaluated (the end of the window).',
      resolve: (v) => v.state.lastEvaluatedAt,
    }),
    value: t.float({
      nullable: true,
      description:
        'What the last evaluation counted (exceptions, new groups, events, idle jobs, quarantined events).',
      resolve: (v) => v.state.value,
    }),
    windowMinutes: t.int({ resolve: (v) => v.rule.windowMinutes }),
    threshold: t.int({ resolve: (v) => v.rule.threshold }),
    factor: t.float({ nullable: true, resolve: (v) => v.rule.factor }),
    filter: t.field({
      type: 'JSON',
      description: 'The filter it reads with (EventFilter fields; the organization is the rule’s).',
      resolve: (v) => v.rule.filter,
    }),
    enabled: t.boolean({ resolve: (v) => v.rule.enabled }),
    hasWebhook: t.boolean({ resolve: (v) => v.rule.webhookUrl !== null }),
    webhookUrl: t.string({
      nullable: true,
      description:
        'Where notifications are POSTed; shown to those who manage the rule only (it may hold a token).',
      resolve: (v) => (v.manageable ? v.rule.webhookUrl : null),
    }),
    webhookSecret: t.string({
      nullable: true,
      description:
        'The secret of X-Signature-256, in the answer of the create or update that set it only; null in every other answer. Keep it then.',
      resolve: (v) => v.revealedSecret,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (v) => v.rule.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (v) => v.rule.updatedAt }),
    createdBy: t.string({
      description: 'The username of its creator.',
      resolve: (v) => v.rule.createdBy.username,
    }),
    deliveries: t.field({
      type: [AlertDeliveryType],
      description: 'Its notifications with their deliveries, newest first; empty unless you manage the rule.',
      args: { first: t.arg.int({ required: false, defaultValue: 20, description: 'At most 100.' }) },
      resolve: (v, args, ctx) => {
        const first = args.first ?? 20
        if (first < 1 || first > 100) throw badInput('first: must be from 1 to 100', { field: 'first' })
        return ctx.alerts.deliveries(v, first)
      },
    }),
  }),
})

const AlertRuleInput = builder.inputType('AlertRuleInput', {
  description:
    'A rule’s settings. createAlertRule needs name and kind; in updateAlertRule an absent field keeps its value and null resets it (no filter, no webhook, no factor, the default window, threshold 1, a new generated secret).',
  fields: (t) => ({
    name: t.string({ required: false }),
    orgId: t.id({
      required: false,
      description:
        'Its organization; default: the request’s (X-Organization); null: every organization (admins).',
    }),
    kind: t.field({ type: AlertKindEnum, required: false }),
    windowMinutes: t.int({ required: false, description: '1 to 10080; default by kind.' }),
    threshold: t.int({ required: false, description: 'At least 1; default 1.' }),
    factor: t.float({
      required: false,
      description: 'EXCEPTION_SPIKE: ≥ factor × the window before; default none.',
    }),
    filter: t.field({
      type: EventFilterInput,
      required: false,
      description: 'Which events it reads; no from or to (the window is the rule’s).',
    }),
    webhookUrl: t.string({
      required: false,
      description:
        'http(s) URL to POST notifications to (Slack and Mattermost incoming webhooks work as they are).',
    }),
    webhookSecret: t.string({
      required: false,
      description: '16 to 256 characters; default a generated one. Shown once, in this answer.',
    }),
    enabled: t.boolean({ required: false, description: 'Default true.' }),
  }),
})

type AlertRuleInputShape = typeof AlertRuleInput.$inferInput

/** The input as the service takes it: absent stays undefined, null stays null; ids and filters checked. */
function toChanges(input: AlertRuleInputShape): AlertRuleChanges {
  const changes: { -readonly [K in keyof AlertRuleChanges]: AlertRuleChanges[K] } = {}
  const copy = <K extends keyof AlertRuleChanges & keyof AlertRuleInputShape>(key: K) => {
    if (input[key] !== undefined) changes[key] = input[key] as AlertRuleChanges[K]
  }
  copy('name')
  copy('kind')
  copy('windowMinutes')
  copy('threshold')
  copy('factor')
  copy('webhookUrl')
  copy('webhookSecret')
  copy('enabled')
  if (input.orgId !== undefined) {
    const orgId = input.orgId === null ? null : parseId(String(input.orgId))
    if (orgId === undefined)
      throw badInput(`orgId: '${String(input.orgId)}' is not a valid id`, { field: 'orgId' })
    changes.orgId = orgId
  }
  if (input.filter !== undefined) changes.filter = input.filter === null ? null : toEventFilter(input.filter)
  return changes
}

builder.queryField('alertRules', (t) =>
  t.field({
    type: [AlertRuleType],
    description:
      'The alert rules you may read: all of an organization’s for its owners and maintainers (and admins), to others those whose filter names only them.',
    args: {
      states: t.arg({ type: [AlertStateEnum], required: false, description: 'Only rules in these states.' }),
      filter: t.arg({
        type: EventFilterInput,
        required: false,
        description:
          'Only rules that may concern these events: for each field both name, the rule’s filter shares a value (a dashboard’s selection). Times are not compared.',
      }),
    },
    resolve: (_root, args, ctx) =>
      ctx.alerts.list({
        ...(args.states ? { states: args.states } : {}),
        ...(args.filter ? { filter: toEventFilter(args.filter) } : {}),
      }),
  }),
)

builder.queryField('alertRule', (t) =>
  t.field({
    type: AlertRuleType,
    description: 'One alert rule; NOT_FOUND when it does not exist or you may not read it.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.alerts.get(String(args.id)),
  }),
)

builder.mutationField('createAlertRule', (t) =>
  t.field({
    type: AlertRuleType,
    description:
      'Creates an alert rule (admins; an organization’s owners and maintainers for it). The answer’s webhookSecret is the only time the secret is shown.',
    args: { input: t.arg({ type: AlertRuleInput, required: true }) },
    resolve: (_root, args, ctx) => ctx.alerts.create(toChanges(args.input)),
  }),
)

builder.mutationField('updateAlertRule', (t) =>
  t.field({
    type: AlertRuleType,
    description:
      'Changes an alert rule (its kind and organization stay). A new secret is shown in this answer only.',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: AlertRuleInput, required: true }) },
    resolve: (_root, args, ctx) => ctx.alerts.update(String(args.id), toChanges(args.input)),
  }),
)

builder.mutationField('deleteAlertRule', (t) =>
  t.field({
    type: 'Boolean',
    description: 'Deletes an alert rule; its deliveries still pending are cancelled. True once deleted.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await ctx.alerts.remove(String(args.id))
      return true
    },
  }),
)

builder.mutationField('testAlertRule', (t) =>
  t.field({
    type: AlertDeliveryType,
    description:
      'Sends a test notification to the rule’s webhook now, once, signed as every notification; the answer says how it went (it is in the delivery log too).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.alerts.test(String(args.id)),
  }),
)
