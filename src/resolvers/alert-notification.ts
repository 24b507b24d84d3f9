import { payloadOf, type AlertNotification } from '../alerts/notification.js'
import type { AlertKind } from '../alerts/rule.js'
import { builder } from '../builder.js'
import { AlertNotificationStateEnum } from './alert-delivery.js'
import { AlertKindEnum, AlertRuleType } from './alert-rule.js'

const kindOf = (n: AlertNotification) => payloadOf(n).rule.kind.toLowerCase() as AlertKind

const AlertNotificationType = builder.objectRef<AlertNotification>('AlertNotification').implement({
  description: 'A rule fired or resolved: what its webhook received (the same JSON, as `payload`).',
  fields: (t) => ({
    id: t.id({ description: 'The idempotency key of its webhook delivery.', resolve: (n) => n.id }),
    state: t.field({ type: AlertNotificationStateEnum, resolve: (n) => n.kind }),
    ruleId: t.id({ resolve: (n) => n.ruleId }),
    ruleName: t.string({ resolve: (n) => payloadOf(n).rule.name }),
    kind: t.field({ type: AlertKindEnum, resolve: kindOf }),
    rule: t.field({
      type: AlertRuleType,
      nullable: true,
      description: 'The rule as it is now; null once deleted.',
      resolve: (n, _args, ctx) => ctx.alerts.get(n.ruleId).catch(() => null),
    }),
    orgId: t.id({ nullable: true, resolve: (n) => n.orgId }),
    orgSlug: t.string({ nullable: true, resolve: (n) => payloadOf(n).organization?.slug ?? null }),
    at: t.field({
      type: 'DateTime',
      description: 'The end of the window evaluated.',
      resolve: (n) => payloadOf(n).at,
    }),
    windowFrom: t.field({ type: 'DateTime', resolve: (n) => payloadOf(n).window.from }),
    windowMinutes: t.int({ resolve: (n) => payloadOf(n).window.minutes }),
    value: t.float({ nullable: true, resolve: (n) => payloadOf(n).value }),
    threshold: t.int({ resolve: (n) => payloadOf(n).threshold }),
    text: t.string({ description: 'One line for people.', resolve: (n) => payloadOf(n).text }),
    link: t.string({
      nullable: true,
      description: 'The events in question, in Grafana (ALERT_LINK_URL).',
      resolve: (n) => payloadOf(n).link,
    }),
    payload: t.field({ type: 'JSON', description: 'The webhook’s JSON body.', resolve: (n) => payloadOf(n) }),
  }),
})

builder.subscriptionField('alerts', (t) =>
  t.field({
    type: AlertNotificationType,
    description:
      'Firings and resolutions of the alert rules you may read (as `alertRules` lists them), as they happen on any replica. Your access is checked again at every push.',
    subscribe: (_root, _args, ctx) => ctx.alerts.subscribe(),
    resolve: (n) => n,
  }),
)
