/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Where a notification's webhook delivery stands. */
export type AlertDeliveryStatus =
  /** The rule was deleted, or lost its webhook, before a 2xx. */
  | 'CANCELLED'
  /** The receiver answered 2xx. */
  | 'DELIVERED'
  /** No 2xx within 24 hours (a test: at its one attempt); no more attempts. */
  | 'FAILED'
  /** Waiting for its next attempt (nextAttemptAt). */
  | 'PENDING'
  /** The rule had no webhook; live subscribers were told. */
  | 'SKIPPED';

/** What an alert rule watches, over its window (`windowMinutes`), in its organization. */
export type AlertKind =
  /** Exceptions (send:exception) matching the filter in the window ≥ threshold, and ≥ factor × those of the window before (no comparison without a factor). Default window 15 min. */
  | 'EXCEPTION_SPIKE'
  /** Jobs in state 'in progress' (their latest update:job of field state, within 30 days) without an event for the window ≥ threshold (default 1). The filter's ids choose the jobs, the rest what counts as activity. Default window 120 min. */
  | 'IDLE_JOB'
  /** Exception groups seen for the first time (within the filter) in the window ≥ threshold (default 1). Default window 60 min: it resolves once no group is that new. */
  | 'NEW_EXCEPTION_GROUP'
  /** No event matching the filter in the window: the pipeline went quiet (e.g. `sources: ["server"]`, CVAT's logger). Threshold and factor are ignored. Default window 15 min. */
  | 'NO_EVENTS'
  /** Events the CVAT-logger listener set aside in the window ≥ threshold (default 1). Over every organization: admins only. Default window 15 min. */
  | 'QUARANTINE';

/** What a notification says. */
export type AlertNotificationState =
  /** The rule's condition began to hold. */
  | 'FIRING'
  /** It stopped holding. */
  | 'RESOLVED'
  /** A test sent by testAlertRule. */
  | 'TEST';

/** A rule’s settings. createAlertRule needs name and kind; in updateAlertRule an absent field keeps its value and null resets it (no filter, no webhook, no factor, the default window, threshold 1, a new generated secret). */
export type AlertRuleInput = {
  /** Default true. */
  enabled?: boolean | null | undefined;
  /** EXCEPTION_SPIKE: ≥ factor × the window before; default none. */
  factor?: number | null | undefined;
  /** Which events it reads; no from or to (the window is the rule’s). */
  filter?: EventFilter | null | undefined;
  kind?: AlertKind | null | undefined;
  name?: string | null | undefined;
  /** Its organization; default: the request’s (X-Organization); null: every organization (admins). */
  orgId?: string | null | undefined;
  /** At least 1; default 1. */
  threshold?: number | null | undefined;
  /** 16 to 256 characters; default a generated one. Shown once, in this answer. */
  webhookSecret?: string | null | undefined;
  /** http(s) URL to POST notifications to (Slack and Mattermost incoming webhooks work as they are). */
  webhookUrl?: string | null | undefined;
  /** 1 to 10080; default by kind. */
  windowMinutes?: number | null | undefined;
};

export type AlertState =
  /** Its condition held at the last evaluation. */
  | 'FIRING'
  /** Not firing (or disabled, or not evaluated yet). */
  | 'OK';

export type ClientBatchInput = {
  events: Array<ClientEventInput>;
  previousEvent?: ClientEventInput | null | undefined;
  /** When the client sent the batch, in its clock (for clock-skew correction). */
  timestamp: string;
};

/** One event of a client batch, as CVAT's UI sends it (camelCase). Identity comes from your credentials. */
export type ClientEventInput = {
  count?: number | null | undefined;
  /** Milliseconds. */
  duration?: number | null | undefined;
  jobId?: string | null | undefined;
  objId?: string | null | undefined;
  objName?: string | null | undefined;
  objVal?: string | null | undefined;
  /** A JSON object, or its text. */
  payload?: unknown;
  projectId?: string | null | undefined;
  scope: string;
  taskId?: string | null | undefined;
  /** ISO-8601, in the client clock. */
  timestamp: string;
};

/** How the caller proved to CVAT who it is. */
export type CvatCredential =
  /** Username and password (HTTP basic). */
  | 'BASIC'
  /** A personal access token (`Authorization: Bearer …`): reads and exports, sends no events. */
  | 'BEARER'
  /** CVAT's `sessionid` cookie (a browser signed in to CVAT). */
  | 'SESSION'
  /** A legacy API key (`Authorization: Token …`). */
  | 'TOKEN';

/** Which events to consider. Every field narrows; an absent or empty list means no constraint. Times are inclusive. The access policy applies on top: naming an organization or user you may not see is FORBIDDEN. */
export type EventFilter = {
  /** Exception groups (`exceptionGroups { id }`): only the exceptions of these groups. */
  exceptionGroups?: Array<string> | null | undefined;
  /** Earliest event time (inclusive). */
  from?: string | null | undefined;
  /** true: only events with a job; false: only events without one. */
  hasJob?: boolean | null | undefined;
  jobIds?: Array<string> | null | undefined;
  objNames?: Array<string> | null | undefined;
  orgIds?: Array<string> | null | undefined;
  projectIds?: Array<string> | null | undefined;
  /** Request ids (`Event.requestId`, `payload.request.id`): the events one request caused, client and server. */
  requestIds?: Array<string> | null | undefined;
  /** Scopes such as 'change:frame'. */
  scopes?: Array<string> | null | undefined;
  /** 'client' or 'server'. */
  sources?: Array<string> | null | undefined;
  taskIds?: Array<string> | null | undefined;
  /** Latest event time (inclusive). */
  to?: string | null | undefined;
  userIds?: Array<string> | null | undefined;
  userNames?: Array<string> | null | undefined;
};

export type EventOrder =
  | 'TIMESTAMP_ASC'
  | 'TIMESTAMP_DESC';

export type ExceptionGroupOrder =
  /** Most occurrences first. */
  | 'COUNT'
  /** Latest occurrence first. */
  | 'LAST_SEEN';

export type ExportFormat =
  /** CVAT's CSV: a header row, then rows by time; CVAT's columns in CVAT's order without remote_addr. */
  | 'CSV'
  /** JSON lines: one object per event, same columns; 64-bit ids as strings. */
  | 'JSONL';

/** Where an export stands. */
export type ExportStatus =
  /** The file is ready at downloadUrl. */
  | 'DONE'
  /** The file was deleted (EXPORT_TTL_HOURS after the export ended). */
  | 'EXPIRED'
  /** It stopped; error says why. */
  | 'FAILED'
  /** Waiting for a free slot (EXPORT_CONCURRENCY, per user too). */
  | 'QUEUED'
  /** Being written; rowsWritten and bytesWritten grow. */
  | 'RUNNING';

/** Where the caller was authenticated. */
export type IdentitySource =
  /** This service's accounts file. */
  | 'ACCOUNTS_FILE'
  /** CVAT (CVAT_URL), with the credentials the request sent. */
  | 'CVAT';

/** What productivity figures are grouped by; any combination (DAY and WEEK are UTC; not both). */
export type ProductivityGroup =
  /** The UTC day. */
  | 'DAY'
  | 'JOB'
  | 'PROJECT'
  /** CVAT's shape type of shapes and tracks; 'tag' for tags. */
  | 'SHAPE_TYPE'
  | 'TASK'
  | 'USER'
  /** The ISO week (from Monday, UTC). */
  | 'WEEK';

export type WorkingTimeDimension =
  | 'JOB'
  | 'PROJECT'
  | 'TASK'
  | 'USER';

export type WriteOutcome =
  /** On the local spool; stored when the ClickHouse server is back. */
  | 'SPOOLED'
  /** In the store. */
  | 'STORED';

export type ActiveUsersQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  windowMinutes?: number | null | undefined;
}>;


export type ActiveUsersQuery = { activeUsers: { count: number, windowMinutes: number, users: Array<{ userId: string, userName: string | null, lastSeen: string, events: number }> } };

export type ActivityQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  interval: string;
}>;


export type ActivityQuery = { activity: { intervalMs: number, from: string, to: string, buckets: Array<{ time: string, count: number, users: number }> } };

export type ActivityByUserQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  interval: string;
}>;


export type ActivityByUserQuery = { activity: { intervalMs: number, byUser: Array<{ userId: string | null, userName: string | null, buckets: Array<{ time: string, count: number }> }> } };

export type AlertRuleQueryVariables = Exact<{
  id: string;
  first?: number | null | undefined;
}>;


export type AlertRuleQuery = { alertRule: { id: string, name: string, kind: AlertKind, orgId: string | null, orgSlug: string | null, state: AlertState, firingSince: string | null, lastFiredAt: string | null, lastResolvedAt: string | null, lastEvaluatedAt: string | null, value: number | null, windowMinutes: number, threshold: number, factor: number | null, filter: unknown, enabled: boolean, hasWebhook: boolean, webhookUrl: string | null, webhookSecret: string | null, createdBy: string, deliveries: Array<{ id: string, state: AlertNotificationState, status: AlertDeliveryStatus, createdAt: string, attempts: number, statusCodes: Array<number | null>, lastError: string | null, nextAttemptAt: string | null, deliveredAt: string | null, payload: unknown, log: Array<{ at: string, statusCode: number | null, error: string | null }> }> } };

export type AlertRuleFieldsFragment = { id: string, name: string, kind: AlertKind, orgId: string | null, orgSlug: string | null, state: AlertState, firingSince: string | null, lastFiredAt: string | null, lastResolvedAt: string | null, lastEvaluatedAt: string | null, value: number | null, windowMinutes: number, threshold: number, factor: number | null, filter: unknown, enabled: boolean, hasWebhook: boolean, webhookUrl: string | null, webhookSecret: string | null, createdBy: string };

export type AlertRulesQueryVariables = Exact<{
  states?: Array<AlertState> | AlertState | null | undefined;
}>;


export type AlertRulesQuery = { alertRules: Array<{ id: string, name: string, kind: AlertKind, orgId: string | null, orgSlug: string | null, state: AlertState, firingSince: string | null, lastFiredAt: string | null, lastResolvedAt: string | null, lastEvaluatedAt: string | null, value: number | null, windowMinutes: number, threshold: number, factor: number | null, filter: unknown, enabled: boolean, hasWebhook: boolean, webhookUrl: string | null, webhookSecret: string | null, createdBy: string }> };

export type CreateAlertRuleMutationVariables = Exact<{
  input: AlertRuleInput;
}>;


export type CreateAlertRuleMutation = { createAlertRule: { id: string, name: string, kind: AlertKind, orgId: string | null, orgSlug: string | null, state: AlertState, firingSince: string | null, lastFiredAt: string | null, lastResolvedAt: string | null, lastEvaluatedAt: string | null, value: number | null, windowMinutes: number, threshold: number, factor: number | null, filter: unknown, enabled: boolean, hasWebhook: boolean, webhookUrl: string | null, webhookSecret: string | null, createdBy: string } };

export type DeleteAlertRuleMutationVariables = Exact<{
  id: string;
}>;


export type DeleteAlertRuleMutation = { deleteAlertRule: boolean };

export type EventsQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  orderBy?: EventOrder | null | undefined;
}>;


export type EventsQuery = { events: { edges: Array<{ cursor: string, node: { id: string, scope: string, objName: string | null, objId: string | null, objVal: string | null, source: string, timestamp: string, count: number | null, duration: number, projectId: string | null, taskId: string | null, jobId: string | null, userId: string | null, userName: string | null, userEmail: string | null, orgId: string | null, orgSlug: string | null, payload: unknown, accessTokenId: string | null, requestId: string | null, ingestedAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ExceptionGroupsQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  orderBy?: ExceptionGroupOrder | null | undefined;
}>;


export type ExceptionGroupsQuery = { exceptionGroups: { edges: Array<{ cursor: string, node: { id: string, count: number, users: number, jobs: number, firstSeen: string, lastSeen: string, sources: Array<string>, title: string, topFrame: string | null, message: string, stack: string | null, lastEventId: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ExceptionReportQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  category?: string | null | undefined;
  messages?: number | null | undefined;
}>;


export type ExceptionReportQuery = { exceptionReport: { from: string, to: string, previousFrom: string, totals: { count: number, previousCount: number, deltaPercent: number | null, users: number, previousUsers: number, usersDeltaPercent: number | null }, bySource: Array<{ source: string | null, count: number, previousCount: number, deltaPercent: number | null }>, categories: Array<{ category: string | null, count: number, share: number }>, summary: Array<{ source: string | null, category: string | null, count: number, share: number, users: number, previousCount: number, deltaPercent: number | null, previousUsers: number }>, byDay: Array<{ day: string, category: string, count: number }>, topMessages: Array<{ category: string, message: string, source: string, count: number, users: number }> } };

export type ExceptionsQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ExceptionsQuery = { exceptions: { edges: Array<{ cursor: string, node: { id: string, timestamp: string, source: string, userId: string | null, userName: string | null, orgId: string | null, projectId: string | null, taskId: string | null, jobId: string | null, message: string | null, stack: string | null, event: { payload: unknown } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ExceptionsByGroupQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  interval: string;
  groups?: number | null | undefined;
}>;


export type ExceptionsByGroupQuery = { exceptionsOverTime: { intervalMs: number, buckets: Array<{ time: string, count: number }>, byGroup: Array<{ groupId: string, count: number, buckets: Array<{ time: string, count: number, users: number }> }> } };

export type ExceptionsOverTimeQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  interval: string;
}>;


export type ExceptionsOverTimeQuery = { exceptionsOverTime: { intervalMs: number, buckets: Array<{ time: string, count: number, users: number }> } };

export type ExportStatusQueryVariables = Exact<{
  queryId: string;
}>;


export type ExportStatusQuery = { export: { queryId: string, status: ExportStatus, format: ExportFormat, includeExceptions: boolean, from: string | null, to: string, rowsWritten: number, rowsPlanned: number | null, bytesWritten: number, error: string | null, filename: string | null, downloadUrl: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, expiresAt: string | null } };

export type FilterOptionsQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  limit?: number | null | undefined;
}>;


export type FilterOptionsQuery = { filterOptions: { projectIds: Array<string>, taskIds: Array<string>, jobIds: Array<string>, scopes: Array<string>, sources: Array<string>, users: Array<{ id: string, name: string | null }>, orgs: Array<{ id: string, slug: string | null }> } };

export type GrafanaActiveUsersNowQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaActiveUsersNowQuery = { activeUsers: { count: number } };

export type GrafanaActivityQueryVariables = Exact<{
  filter: EventFilter;
  bucket: string;
}>;


export type GrafanaActivityQuery = { activity: { buckets: Array<{ time: string, count: number, users: number }> } };

export type GrafanaAlertRulesQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
}>;


export type GrafanaAlertRulesQuery = { alertRules: Array<{ name: string, kind: AlertKind, orgSlug: string | null, firingSince: string | null, value: number | null, threshold: number, windowMinutes: number }> };

export type GrafanaEventsQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaEventsQuery = { events: { nodes: Array<{ timestamp: string, scope: string, objName: string | null, objId: string | null, objVal: string | null, source: string, count: number | null, duration: number, projectId: string | null, taskId: string | null, jobId: string | null, userId: string | null, userName: string | null, orgSlug: string | null, requestId: string | null, payload: unknown }> } };

export type GrafanaExceptionCategoriesQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaExceptionCategoriesQuery = { exceptionReport: { categories: Array<{ category: string | null, count: number, share: number }> } };

export type GrafanaExceptionMessagesQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaExceptionMessagesQuery = { exceptionReport: { topMessages: Array<{ category: string, message: string, source: string, count: number, users: number }> } };

export type GrafanaExceptionSourcesQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaExceptionSourcesQuery = { exceptionReport: { bySource: Array<{ source: string | null, count: number, previousCount: number }> } };

export type GrafanaExceptionSummaryQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaExceptionSummaryQuery = { exceptionReport: { summary: Array<{ source: string | null, category: string | null, count: number, share: number, users: number, previousCount: number, deltaPercent: number | null, previousUsers: number }> } };

export type GrafanaExceptionTotalsQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaExceptionTotalsQuery = { exceptionReport: { totals: { count: number, deltaPercent: number | null, users: number, usersDeltaPercent: number | null } } };

export type GrafanaExceptionsQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaExceptionsQuery = { exceptions: { nodes: Array<{ timestamp: string, source: string, userId: string | null, userName: string | null, projectId: string | null, taskId: string | null, jobId: string | null, message: string | null, stack: string | null, event: { payload: unknown } }> } };

export type GrafanaExceptionsByDayQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaExceptionsByDayQuery = { exceptionReport: { byDay: Array<{ day: string, category: string, count: number }> } };

export type GrafanaExceptionsOverTimeQueryVariables = Exact<{
  filter: EventFilter;
  bucket: string;
}>;


export type GrafanaExceptionsOverTimeQuery = { exceptionsOverTime: { buckets: Array<{ time: string, count: number }> } };

export type GrafanaFilterOptionsQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaFilterOptionsQuery = { filterOptions: { projectIds: Array<string>, taskIds: Array<string>, jobIds: Array<string>, scopes: Array<string>, sources: Array<string>, users: Array<{ id: string, name: string | null }>, orgs: Array<{ id: string, slug: string | null }> } };

export type GrafanaIdleGapsQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaIdleGapsQuery = { idleGaps: Array<{ buckets: Array<{ label: string, fromSeconds: number, gaps: number, hours: number }>, workingHoursAt: Array<{ idleSeconds: number, hours: number }> }> };

export type GrafanaJobFlowQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaJobFlowQuery = { jobFlow: Array<{ jobId: string, taskId: string | null, stage: string, state: string, assigneeId: string | null, hoursInProgress: number, rejections: number, cycleHours: number | null, hoursIn: { annotation: number, validation: number, acceptance: number }, workingHoursIn: { annotation: number, validation: number, acceptance: number } }> };

export type GrafanaPlatformsQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaPlatformsQuery = { platforms: { browsers: Array<{ name: string, users: number }>, operatingSystems: Array<{ name: string, users: number }> } };

export type GrafanaProductivityLeaderboardQueryVariables = Exact<{
  filter: EventFilter;
  idleSeconds: number;
}>;


export type GrafanaProductivityLeaderboardQuery = { productivity: Array<{ userId: string | null, userName: string | null, objectsCreated: number, manualObjectsCreated: number, importedObjectsCreated: number, automaticObjectsCreated: number, objectsDeleted: number, workingHours: number, objectsPerHour: number | null, reworkRatio: number | null, undo: number, redo: number }> };

export type GrafanaProductivityOverTimeQueryVariables = Exact<{
  filter: EventFilter;
  idleSeconds: number;
}>;


export type GrafanaProductivityOverTimeQuery = { productivity: Array<{ period: string | null, userId: string | null, userName: string | null, objectsPerHour: number | null }> };

export type GrafanaScopeDurationsQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaScopeDurationsQuery = { scopeDurations: Array<{ scope: string, source: string, count: number, avgDuration: number, minDuration: number, maxDuration: number }> };

export type GrafanaUserActivityQueryVariables = Exact<{
  filter: EventFilter;
  bucket: string;
}>;


export type GrafanaUserActivityQuery = { activity: { byUserPoints: Array<{ time: string, user: string, count: number }> } };

export type GrafanaWorkingTimeQueryVariables = Exact<{
  filter: EventFilter;
}>;


export type GrafanaWorkingTimeQuery = { workingTime: Array<{ userId: string | null, userName: string | null, projectId: string | null, taskId: string | null, jobId: string | null, hours: number, actions: number }> };

export type IdleGapsQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  groupBy?: Array<ProductivityGroup> | ProductivityGroup | null | undefined;
  first?: number | null | undefined;
}>;


export type IdleGapsQuery = { idleGaps: Array<{ userId: string | null, userName: string | null, projectId: string | null, taskId: string | null, jobId: string | null, period: string | null, buckets: Array<{ fromSeconds: number, toSeconds: number | null, label: string, gaps: number, seconds: number, hours: number }>, workingHoursAt: Array<{ idleSeconds: number, hours: number }> }> };

export type JobDetailsQueryVariables = Exact<{
  id: string;
  interval: string;
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type JobDetailsQuery = { job: { id: string, firstEventAt: string | null, lastEventAt: string | null, eventCount: number, workingTime: { milliseconds: number, hours: number, actions: number }, activity: Array<{ time: string, count: number }>, events: { edges: Array<{ node: { id: string, scope: string } }>, pageInfo: { hasNextPage: boolean } } } };

export type JobFlowQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  first?: number | null | undefined;
}>;


export type JobFlowQuery = { jobFlow: Array<{ jobId: string, taskId: string | null, projectId: string | null, stage: string, state: string, assigneeId: string | null, hoursInProgress: number, rejections: number, firstValidationAt: string | null, acceptedAt: string | null, cycleHours: number | null, hoursIn: { annotation: number, validation: number, acceptance: number }, workingHoursIn: { annotation: number, validation: number, acceptance: number } }> };

export type JobFlowOfJobQueryVariables = Exact<{
  id: string;
  to?: string | null | undefined;
}>;


export type JobFlowOfJobQuery = { job: { id: string, flow: { jobId: string, stage: string, state: string, assigneeId: string | null, rejections: number, acceptedAt: string | null, cycleHours: number | null, hoursIn: { annotation: number, validation: number, acceptance: number }, transitions: Array<{ at: string, field: string, from: string | null, to: string | null, userId: string | null }> } | null } };

export type JobsWithWorkingTimeQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  first?: number | null | undefined;
}>;


export type JobsWithWorkingTimeQuery = { jobs: Array<{ id: string, lastEventAt: string | null, workingTime: { milliseconds: number, actions: number } }> };

export type LiveAlertsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type LiveAlertsSubscription = { alerts: { id: string, state: AlertNotificationState, ruleId: string, ruleName: string, kind: AlertKind, orgId: string | null, orgSlug: string | null, at: string, windowFrom: string, windowMinutes: number, value: number | null, threshold: number, text: string, link: string | null, payload: unknown } };

export type LiveEventsSubscriptionVariables = Exact<{
  filter?: EventFilter | null | undefined;
}>;


export type LiveEventsSubscription = { events: { id: string, scope: string, objName: string | null, objId: string | null, objVal: string | null, source: string, timestamp: string, count: number | null, duration: number, projectId: string | null, taskId: string | null, jobId: string | null, userId: string | null, userName: string | null, userEmail: string | null, orgId: string | null, orgSlug: string | null, payload: unknown, accessTokenId: string | null, requestId: string | null, ingestedAt: string, exceptionGroupId: string | null } };

export type LiveExceptionsSubscriptionVariables = Exact<{
  filter?: EventFilter | null | undefined;
}>;


export type LiveExceptionsSubscription = { exceptions: { id: string, timestamp: string, source: string, userId: string | null, userName: string | null, orgId: string | null, projectId: string | null, taskId: string | null, jobId: string | null, message: string | null, stack: string | null, groupId: string, event: { scope: string, requestId: string | null, ingestedAt: string, payload: unknown } } };

export type LogEventsMutationVariables = Exact<{
  batch: ClientBatchInput;
}>;


export type LogEventsMutation = { logEvents:
    | { __typename: 'LogEventsRejected', message: string, errors: Array<{ index: number | null, field: string, message: string }> }
    | { __typename: 'LogEventsSuccess', stored: number, outcome: WriteOutcome, requestId: string }
   };

export type PlatformsQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
}>;


export type PlatformsQuery = { platforms: { browsers: Array<{ name: string, users: number }>, operatingSystems: Array<{ name: string, users: number }> } };

export type ProductivityQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  groupBy?: Array<ProductivityGroup> | ProductivityGroup | null | undefined;
  idleSeconds?: number | null | undefined;
  first?: number | null | undefined;
}>;


export type ProductivityQuery = { productivity: Array<{ userId: string | null, userName: string | null, projectId: string | null, taskId: string | null, jobId: string | null, shapeType: string | null, period: string | null, objectsCreated: number, objectsUpdated: number, objectsDeleted: number, manualObjectsCreated: number, importedObjectsCreated: number, automaticObjectsCreated: number, workingHours: number, objectsPerHour: number | null, undo: number, redo: number, reworkRatio: number | null }> };

export type ProjectDetailsQueryVariables = Exact<{
  id: string;
}>;


export type ProjectDetailsQuery = { project: { id: string, firstEventAt: string | null, lastEventAt: string | null, eventCount: number, workingTime: { milliseconds: number, actions: number } } };

export type QuarantineQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  reason?: string | null | undefined;
}>;


export type QuarantineQuery = { quarantine: { total: number, reasons: Array<{ reason: string, count: number, lastAt: string }>, events: { nodes: Array<{ id: string, receivedAt: string, path: string, reason: string, message: string, requestId: string, position: number, raw: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } };

export type ScopeDurationsQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
}>;


export type ScopeDurationsQuery = { scopeDurations: Array<{ scope: string, source: string, count: number, avgDuration: number, minDuration: number, maxDuration: number }> };

export type StartExportMutationVariables = Exact<{
  filter?: EventFilter | null | undefined;
  format?: ExportFormat | null | undefined;
  includeExceptions?: boolean | null | undefined;
  filename?: string | null | undefined;
}>;


export type StartExportMutation = { startExport: { queryId: string, export: { status: ExportStatus } } };

export type TaskDetailsQueryVariables = Exact<{
  id: string;
}>;


export type TaskDetailsQuery = { task: { id: string, firstEventAt: string | null, lastEventAt: string | null, eventCount: number, workingTime: { milliseconds: number, actions: number } } };

export type TestAlertRuleMutationVariables = Exact<{
  id: string;
}>;


export type TestAlertRuleMutation = { testAlertRule: { id: string, state: AlertNotificationState, status: AlertDeliveryStatus, attempts: number, statusCodes: Array<number | null>, lastError: string | null, payload: unknown } };

export type UpdateAlertRuleMutationVariables = Exact<{
  id: string;
  input: AlertRuleInput;
}>;


export type UpdateAlertRuleMutation = { updateAlertRule: { id: string, name: string, kind: AlertKind, orgId: string | null, orgSlug: string | null, state: AlertState, firingSince: string | null, lastFiredAt: string | null, lastResolvedAt: string | null, lastEvaluatedAt: string | null, value: number | null, windowMinutes: number, threshold: number, factor: number | null, filter: unknown, enabled: boolean, hasWebhook: boolean, webhookUrl: string | null, webhookSecret: string | null, createdBy: string } };

export type UserDetailsQueryVariables = Exact<{
  id: string;
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type UserDetailsQuery = { user: { id: string, name: string | null, firstEventAt: string | null, lastEventAt: string | null, eventCount: number, workingTime: { milliseconds: number, hours: number, actions: number } } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { userId: string, username: string, role: string | null, orgSlug: string | null, orgRole: string | null, tokenKind: string | null, source: IdentitySource, cvat: { privilege: string | null, superuser: boolean, analyticsAccess: boolean, credential: CvatCredential, confirmedAt: string, freshUntil: string, memberships: Array<{ orgId: string, slug: string, name: string, role: string }> } | null } };

export type WebEventsQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  orderBy?: EventOrder | null | undefined;
}>;


export type WebEventsQuery = { events: { nodes: Array<{ id: string, timestamp: string, scope: string, source: string, objName: string | null, objId: string | null, objVal: string | null, count: number | null, duration: number, orgSlug: string | null, projectId: string | null, taskId: string | null, jobId: string | null, userId: string | null, userName: string | null, requestId: string | null, payload: unknown }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type WebExceptionsQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type WebExceptionsQuery = { exceptions: { nodes: Array<{ id: string, timestamp: string, source: string, userId: string | null, userName: string | null, orgId: string | null, projectId: string | null, taskId: string | null, jobId: string | null, message: string | null, stack: string | null, groupId: string, event: { requestId: string | null, payload: unknown } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type WebFiringAlertRulesQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
}>;


export type WebFiringAlertRulesQuery = { alertRules: Array<{ id: string, name: string, kind: AlertKind, orgSlug: string | null, firingSince: string | null, value: number | null, threshold: number, windowMinutes: number }> };

export type WebViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type WebViewerQuery = { viewer: { userId: string, username: string, role: string | null, orgSlug: string | null, orgRole: string | null, source: IdentitySource, tokenKind: string | null, organizations: Array<{ id: string, slug: string, name: string, role: string | null }> } };

export type WorkingTimeQueryVariables = Exact<{
  filter?: EventFilter | null | undefined;
  groupBy?: Array<WorkingTimeDimension> | WorkingTimeDimension | null | undefined;
  first?: number | null | undefined;
}>;


export type WorkingTimeQuery = { workingTime: Array<{ userId: string | null, userName: string | null, projectId: string | null, taskId: string | null, jobId: string | null, milliseconds: number, hours: number, actions: number }> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const AlertRuleFieldsFragmentDoc = new TypedDocumentString(`
    fragment AlertRuleFields on AlertRule {
  id
  name
  kind
  orgId
  orgSlug
  state
  firingSince
  lastFiredAt
  lastResolvedAt
  lastEvaluatedAt
  value
  windowMinutes
  threshold
  factor
  filter
  enabled
  hasWebhook
  webhookUrl
  webhookSecret
  createdBy
}
    `, {"fragmentName":"AlertRuleFields"}) as unknown as TypedDocumentString<AlertRuleFieldsFragment, unknown>;
export const ActiveUsersDocument = new TypedDocumentString(`
    query ActiveUsers($filter: EventFilter, $windowMinutes: Int) {
  activeUsers(filter: $filter, windowMinutes: $windowMinutes) {
    count
    windowMinutes
    users {
      userId
      userName
      lastSeen
      events
    }
  }
}
    `) as unknown as TypedDocumentString<ActiveUsersQuery, ActiveUsersQueryVariables>;
export const ActivityDocument = new TypedDocumentString(`
    query Activity($filter: EventFilter, $interval: String!) {
  activity(filter: $filter, interval: $interval) {
    intervalMs
    from
    to
    buckets {
      time
      count
      users
    }
  }
}
    `) as unknown as TypedDocumentString<ActivityQuery, ActivityQueryVariables>;
export const ActivityByUserDocument = new TypedDocumentString(`
    query ActivityByUser($filter: EventFilter, $interval: String!) {
  activity(filter: $filter, interval: $interval) {
    intervalMs
    byUser {
      userId
      userName
      buckets {
        time
        count
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ActivityByUserQuery, ActivityByUserQueryVariables>;
export const AlertRuleDocument = new TypedDocumentString(`
    query AlertRule($id: ID!, $first: Int) {
  alertRule(id: $id) {
    ...AlertRuleFields
    deliveries(first: $first) {
      id
      state
      status
      createdAt
      attempts
      statusCodes
      lastError
      nextAttemptAt
      deliveredAt
      log {
        at
        statusCode
        error
      }
      payload
    }
  }
}
    fragment AlertRuleFields on AlertRule {
  id
  name
  kind
  orgId
  orgSlug
  state
  firingSince
  lastFiredAt
  lastResolvedAt
  lastEvaluatedAt
  value
  windowMinutes
  threshold
  factor
  filter
  enabled
  hasWebhook
  webhookUrl
  webhookSecret
  createdBy
}`) as unknown as TypedDocumentString<AlertRuleQuery, AlertRuleQueryVariables>;
export const AlertRulesDocument = new TypedDocumentString(`
    query AlertRules($states: [AlertState!]) {
  alertRules(states: $states) {
    ...AlertRuleFields
  }
}
    fragment AlertRuleFields on AlertRule {
  id
  name
  kind
  orgId
  orgSlug
  state
  firingSince
  lastFiredAt
  lastResolvedAt
  lastEvaluatedAt
  value
  windowMinutes
  threshold
  factor
  filter
  enabled
  hasWebhook
  webhookUrl
  webhookSecret
  createdBy
}`) as unknown as TypedDocumentString<AlertRulesQuery, AlertRulesQueryVariables>;
export const CreateAlertRuleDocument = new TypedDocumentString(`
    mutation CreateAlertRule($input: AlertRuleInput!) {
  createAlertRule(input: $input) {
    ...AlertRuleFields
  }
}
    fragment AlertRuleFields on AlertRule {
  id
  name
  kind
  orgId
  orgSlug
  state
  firingSince
  lastFiredAt
  lastResolvedAt
  lastEvaluatedAt
  value
  windowMinutes
  threshold
  factor
  filter
  enabled
  hasWebhook
  webhookUrl
  webhookSecret
  createdBy
}`) as unknown as TypedDocumentString<CreateAlertRuleMutation, CreateAlertRuleMutationVariables>;
export const DeleteAlertRuleDocument = new TypedDocumentString(`
    mutation DeleteAlertRule($id: ID!) {
  deleteAlertRule(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteAlertRuleMutation, DeleteAlertRuleMutationVariables>;
export const EventsDocument = new TypedDocumentString(`
    query Events($filter: EventFilter, $first: Int, $after: String, $orderBy: EventOrder) {
  events(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    edges {
      cursor
      node {
        id
        scope
        objName
        objId
        objVal
        source
        timestamp
        count
        duration
        projectId
        taskId
        jobId
        userId
        userName
        userEmail
        orgId
        orgSlug
        payload
        accessTokenId
        requestId
        ingestedAt
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<EventsQuery, EventsQueryVariables>;
export const ExceptionGroupsDocument = new TypedDocumentString(`
    query ExceptionGroups($filter: EventFilter, $first: Int, $after: String, $orderBy: ExceptionGroupOrder) {
  exceptionGroups(
    filter: $filter
    first: $first
    after: $after
    orderBy: $orderBy
  ) {
    edges {
      cursor
      node {
        id
        count
        users
        jobs
        firstSeen
        lastSeen
        sources
        title
        topFrame
        message
        stack
        lastEventId
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ExceptionGroupsQuery, ExceptionGroupsQueryVariables>;
export const ExceptionReportDocument = new TypedDocumentString(`
    query ExceptionReport($filter: EventFilter, $category: String, $messages: Int) {
  exceptionReport(filter: $filter) {
    from
    to
    previousFrom
    totals {
      count
      previousCount
      deltaPercent
      users
      previousUsers
      usersDeltaPercent
    }
    bySource {
      source
      count
      previousCount
      deltaPercent
    }
    categories {
      category
      count
      share
    }
    summary {
      source
      category
      count
      share
      users
      previousCount
      deltaPercent
      previousUsers
    }
    byDay {
      day
      category
      count
    }
    topMessages(category: $category, first: $messages) {
      category
      message
      source
      count
      users
    }
  }
}
    `) as unknown as TypedDocumentString<ExceptionReportQuery, ExceptionReportQueryVariables>;
export const ExceptionsDocument = new TypedDocumentString(`
    query Exceptions($filter: EventFilter, $first: Int, $after: String) {
  exceptions(filter: $filter, first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        timestamp
        source
        userId
        userName
        orgId
        projectId
        taskId
        jobId
        message
        stack
        event {
          payload
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ExceptionsQuery, ExceptionsQueryVariables>;
export const ExceptionsByGroupDocument = new TypedDocumentString(`
    query ExceptionsByGroup($filter: EventFilter, $interval: String!, $groups: Int) {
  exceptionsOverTime(filter: $filter, interval: $interval) {
    intervalMs
    buckets {
      time
      count
    }
    byGroup(first: $groups) {
      groupId
      count
      buckets {
        time
        count
        users
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ExceptionsByGroupQuery, ExceptionsByGroupQueryVariables>;
export const ExceptionsOverTimeDocument = new TypedDocumentString(`
    query ExceptionsOverTime($filter: EventFilter, $interval: String!) {
  exceptionsOverTime(filter: $filter, interval: $interval) {
    intervalMs
    buckets {
      time
      count
      users
    }
  }
}
    `) as unknown as TypedDocumentString<ExceptionsOverTimeQuery, ExceptionsOverTimeQueryVariables>;
export const ExportStatusDocument = new TypedDocumentString(`
    query ExportStatus($queryId: ID!) {
  export(queryId: $queryId) {
    queryId
    status
    format
    includeExceptions
    from
    to
    rowsWritten
    rowsPlanned
    bytesWritten
    error
    filename
    downloadUrl
    createdAt
    startedAt
    finishedAt
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<ExportStatusQuery, ExportStatusQueryVariables>;
export const FilterOptionsDocument = new TypedDocumentString(`
    query FilterOptions($filter: EventFilter, $limit: Int) {
  filterOptions(filter: $filter, limit: $limit) {
    users {
      id
      name
    }
    orgs {
      id
      slug
    }
    projectIds
    taskIds
    jobIds
    scopes
    sources
  }
}
    `) as unknown as TypedDocumentString<FilterOptionsQuery, FilterOptionsQueryVariables>;
export const GrafanaActiveUsersNowDocument = new TypedDocumentString(`
    query GrafanaActiveUsersNow($filter: EventFilter!) {
  activeUsers(filter: $filter, windowMinutes: 15) {
    count
  }
}
    `) as unknown as TypedDocumentString<GrafanaActiveUsersNowQuery, GrafanaActiveUsersNowQueryVariables>;
export const GrafanaActivityDocument = new TypedDocumentString(`
    query GrafanaActivity($filter: EventFilter!, $bucket: String!) {
  activity(filter: $filter, interval: $bucket) {
    buckets {
      time
      count
      users
    }
  }
}
    `) as unknown as TypedDocumentString<GrafanaActivityQuery, GrafanaActivityQueryVariables>;
export const GrafanaAlertRulesDocument = new TypedDocumentString(`
    query GrafanaAlertRules($filter: EventFilter) {
  alertRules(states: [FIRING], filter: $filter) {
    name
    kind
    orgSlug
    firingSince
    value
    threshold
    windowMinutes
  }
}
    `) as unknown as TypedDocumentString<GrafanaAlertRulesQuery, GrafanaAlertRulesQueryVariables>;
export const GrafanaEventsDocument = new TypedDocumentString(`
    query GrafanaEvents($filter: EventFilter!) {
  events(filter: $filter, first: 1000, orderBy: TIMESTAMP_DESC) {
    nodes {
      timestamp
      scope
      objName
      objId
      objVal
      source
      count
      duration
      projectId
      taskId
      jobId
      userId
      userName
      orgSlug
      requestId
      payload
    }
  }
}
    `) as unknown as TypedDocumentString<GrafanaEventsQuery, GrafanaEventsQueryVariables>;
export const GrafanaExceptionCategoriesDocument = new TypedDocumentString(`
    query GrafanaExceptionCategories($filter: EventFilter!) {
  exceptionReport(filter: $filter) {
    categories(minCount: 1) {
      category
      count
      share
    }
  }
}
    `) as unknown as TypedDocumentString<GrafanaExceptionCategoriesQuery, GrafanaExceptionCategoriesQueryVariables>;
export const GrafanaExceptionMessagesDocument = new TypedDocumentString(`
    query GrafanaExceptionMessages($filter: EventFilter!) {
  exceptionReport(filter: $filter) {
    topMessages(first: 200) {
      category
      message
      source
      count
      users
    }
  }
}
    `) as unknown as TypedDocumentString<GrafanaExceptionMessagesQuery, GrafanaExceptionMessagesQueryVariables>;
export const GrafanaExceptionSourcesDocument = new TypedDocumentString(`
    query GrafanaExceptionSources($filter: EventFilter!) {
  exceptionReport(filter: $filter) {
    bySource {
      source
      count
      previousCount
    }
  }
}
    `) as unknown as TypedDocumentString<GrafanaExceptionSourcesQuery, GrafanaExceptionSourcesQueryVariables>;
export const GrafanaExceptionSummaryDocument = new TypedDocumentString(`
    query GrafanaExceptionSummary($filter: EventFilter!) {
  exceptionReport(filter: $filter) {
    summary {
      source
      category
      count
      share
      users
      previousCount
      deltaPercent
      previousUsers
    }
  }
}
    `) as unknown as TypedDocumentString<GrafanaExceptionSummaryQuery, GrafanaExceptionSummaryQueryVariables>;
export const GrafanaExceptionTotalsDocument = new TypedDocumentString(`
    query GrafanaExceptionTotals($filter: EventFilter!) {
  exceptionReport(filter: $filter) {
    totals {
      count
      deltaPercent
      users
      usersDeltaPercent
    }
  }
}
    `) as unknown as TypedDocumentString<GrafanaExceptionTotalsQuery, GrafanaExceptionTotalsQueryVariables>;
export const GrafanaExceptionsDocument = new TypedDocumentString(`
    query GrafanaExceptions($filter: EventFilter!) {
  exceptions(filter: $filter, first: 1000) {
    nodes {
      timestamp
      source
      userId
      userName
      projectId
      taskId
      jobId
      message
      stack
      event {
        payload
      }
    }
  }
}
    `) as unknown as TypedDocumentString<GrafanaExceptionsQuery, GrafanaExceptionsQueryVariables>;
export const GrafanaExceptionsByDayDocument = new TypedDocumentString(`
    query GrafanaExceptionsByDay($filter: EventFilter!) {
  exceptionReport(filter: $filter) {
    byDay {
      day
      category
      count
    }
  }
}
    `) as unknown as TypedDocumentString<GrafanaExceptionsByDayQuery, GrafanaExceptionsByDayQueryVariables>;
export const GrafanaExceptionsOverTimeDocument = new TypedDocumentString(`
    query GrafanaExceptionsOverTime($filter: EventFilter!, $bucket: String!) {
  exceptionsOverTime(filter: $filter, interval: $bucket) {
    buckets {
      time
      count
    }
  }
}
    `) as unknown as TypedDocumentString<GrafanaExceptionsOverTimeQuery, GrafanaExceptionsOverTimeQueryVariables>;
export const GrafanaFilterOptionsDocument = new TypedDocumentString(`
    query GrafanaFilterOptions($filter: EventFilter!) {
  filterOptions(filter: $filter, limit: 1000) {
    users {
      id
      name
    }
    orgs {
      id
      slug
    }
    projectIds
    taskIds
    jobIds
    scopes
    sources
  }
}
    `) as unknown as TypedDocumentString<GrafanaFilterOptionsQuery, GrafanaFilterOptionsQueryVariables>;
export const GrafanaIdleGapsDocument = new TypedDocumentString(`
    query GrafanaIdleGaps($filter: EventFilter!) {
  idleGaps(filter: $filter, groupBy: [], first: 1) {
    buckets {
      label
      fromSeconds
      gaps
      hours
    }
    workingHoursAt {
      idleSeconds
      hours
    }
  }
}
    `) as unknown as TypedDocumentString<GrafanaIdleGapsQuery, GrafanaIdleGapsQueryVariables>;
export const GrafanaJobFlowDocument = new TypedDocumentString(`
    query GrafanaJobFlow($filter: EventFilter!) {
  jobFlow(filter: $filter, first: 200) {
    jobId
    taskId
    stage
    state
    assigneeId
    hoursIn {
      annotation
      validation
      acceptance
    }
    hoursInProgress
    rejections
    cycleHours
    workingHoursIn {
      annotation
      validation
      acceptance
    }
  }
}
    `) as unknown as TypedDocumentString<GrafanaJobFlowQuery, GrafanaJobFlowQueryVariables>;
export const GrafanaPlatformsDocument = new TypedDocumentString(`
    query GrafanaPlatforms($filter: EventFilter!) {
  platforms(filter: $filter) {
    browsers {
      name
      users
    }
    operatingSystems {
      name
      users
    }
  }
}
    `) as unknown as TypedDocumentString<GrafanaPlatformsQuery, GrafanaPlatformsQueryVariables>;
export const GrafanaProductivityLeaderboardDocument = new TypedDocumentString(`
    query GrafanaProductivityLeaderboard($filter: EventFilter!, $idleSeconds: Int!) {
  productivity(
    filter: $filter
    groupBy: [USER]
    idleSeconds: $idleSeconds
    first: 1000
  ) {
    userId
    userName
    objectsCreated
    manualObjectsCreated
    importedObjectsCreated
    automaticObjectsCreated
    objectsDeleted
    workingHours
    objectsPerHour
    reworkRatio
    undo
    redo
  }
}
    `) as unknown as TypedDocumentString<GrafanaProductivityLeaderboardQuery, GrafanaProductivityLeaderboardQueryVariables>;
export const GrafanaProductivityOverTimeDocument = new TypedDocumentString(`
    query GrafanaProductivityOverTime($filter: EventFilter!, $idleSeconds: Int!) {
  productivity(
    filter: $filter
    groupBy: [USER, DAY]
    idleSeconds: $idleSeconds
    first: 1000
  ) {
    period
    userId
    userName
    objectsPerHour
  }
}
    `) as unknown as TypedDocumentString<GrafanaProductivityOverTimeQuery, GrafanaProductivityOverTimeQueryVariables>;
export const GrafanaScopeDurationsDocument = new TypedDocumentString(`
    query GrafanaScopeDurations($filter: EventFilter!) {
  scopeDurations(filter: $filter) {
    scope
    source
    count
    avgDuration
    minDuration
    maxDuration
  }
}
    `) as unknown as TypedDocumentString<GrafanaScopeDurationsQuery, GrafanaScopeDurationsQueryVariables>;
export const GrafanaUserActivityDocument = new TypedDocumentString(`
    query GrafanaUserActivity($filter: EventFilter!, $bucket: String!) {
  activity(filter: $filter, interval: $bucket) {
    byUserPoints {
      time
      user
      count
    }
  }
}
    `) as unknown as TypedDocumentString<GrafanaUserActivityQuery, GrafanaUserActivityQueryVariables>;
export const GrafanaWorkingTimeDocument = new TypedDocumentString(`
    query GrafanaWorkingTime($filter: EventFilter!) {
  workingTime(filter: $filter, groupBy: [USER, PROJECT, TASK, JOB], first: 1000) {
    userId
    userName
    projectId
    taskId
    jobId
    hours
    actions
  }
}
    `) as unknown as TypedDocumentString<GrafanaWorkingTimeQuery, GrafanaWorkingTimeQueryVariables>;
export const IdleGapsDocument = new TypedDocumentString(`
    query IdleGaps($filter: EventFilter, $groupBy: [ProductivityGroup!], $first: Int) {
  idleGaps(filter: $filter, groupBy: $groupBy, first: $first) {
    userId
    userName
    projectId
    taskId
    jobId
    period
    buckets {
      fromSeconds
      toSeconds
      label
      gaps
      seconds
      hours
    }
    workingHoursAt {
      idleSeconds
      hours
    }
  }
}
    `) as unknown as TypedDocumentString<IdleGapsQuery, IdleGapsQueryVariables>;
export const JobDetailsDocument = new TypedDocumentString(`
    query JobDetails($id: ID!, $interval: String!, $from: DateTime, $to: DateTime) {
  job(id: $id) {
    id
    workingTime {
      milliseconds
      hours
      actions
    }
    firstEventAt
    lastEventAt
    eventCount
    activity(interval: $interval, from: $from, to: $to) {
      time
      count
    }
    events(first: 5) {
      edges {
        node {
          id
          scope
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
}
    `) as unknown as TypedDocumentString<JobDetailsQuery, JobDetailsQueryVariables>;
export const JobFlowDocument = new TypedDocumentString(`
    query JobFlow($filter: EventFilter, $first: Int) {
  jobFlow(filter: $filter, first: $first) {
    jobId
    taskId
    projectId
    stage
    state
    assigneeId
    hoursIn {
      annotation
      validation
      acceptance
    }
    hoursInProgress
    rejections
    firstValidationAt
    acceptedAt
    cycleHours
    workingHoursIn {
      annotation
      validation
      acceptance
    }
  }
}
    `) as unknown as TypedDocumentString<JobFlowQuery, JobFlowQueryVariables>;
export const JobFlowOfJobDocument = new TypedDocumentString(`
    query JobFlowOfJob($id: ID!, $to: DateTime) {
  job(id: $id) {
    id
    flow(to: $to) {
      jobId
      stage
      state
      assigneeId
      rejections
      acceptedAt
      cycleHours
      hoursIn {
        annotation
        validation
        acceptance
      }
      transitions {
        at
        field
        from
        to
        userId
      }
    }
  }
}
    `) as unknown as TypedDocumentString<JobFlowOfJobQuery, JobFlowOfJobQueryVariables>;
export const JobsWithWorkingTimeDocument = new TypedDocumentString(`
    query JobsWithWorkingTime($filter: EventFilter, $first: Int) {
  jobs(filter: $filter, first: $first) {
    id
    workingTime {
      milliseconds
      actions
    }
    lastEventAt
  }
}
    `) as unknown as TypedDocumentString<JobsWithWorkingTimeQuery, JobsWithWorkingTimeQueryVariables>;
export const LiveAlertsDocument = new TypedDocumentString(`
    subscription LiveAlerts {
  alerts {
    id
    state
    ruleId
    ruleName
    kind
    orgId
    orgSlug
    at
    windowFrom
    windowMinutes
    value
    threshold
    text
    link
    payload
  }
}
    `) as unknown as TypedDocumentString<LiveAlertsSubscription, LiveAlertsSubscriptionVariables>;
export const LiveEventsDocument = new TypedDocumentString(`
    subscription LiveEvents($filter: EventFilter) {
  events(filter: $filter) {
    id
    scope
    objName
    objId
    objVal
    source
    timestamp
    count
    duration
    projectId
    taskId
    jobId
    userId
    userName
    userEmail
    orgId
    orgSlug
    payload
    accessTokenId
    requestId
    ingestedAt
    exceptionGroupId
  }
}
    `) as unknown as TypedDocumentString<LiveEventsSubscription, LiveEventsSubscriptionVariables>;
export const LiveExceptionsDocument = new TypedDocumentString(`
    subscription LiveExceptions($filter: EventFilter) {
  exceptions(filter: $filter) {
    id
    timestamp
    source
    userId
    userName
    orgId
    projectId
    taskId
    jobId
    message
    stack
    groupId
    event {
      scope
      requestId
      ingestedAt
      payload
    }
  }
}
    `) as unknown as TypedDocumentString<LiveExceptionsSubscription, LiveExceptionsSubscriptionVariables>;
export const LogEventsDocument = new TypedDocumentString(`
    mutation LogEvents($batch: ClientBatchInput!) {
  logEvents(batch: $batch) {
    __typename
    ... on LogEventsSuccess {
      stored
      outcome
      requestId
    }
    ... on LogEventsRejected {
      message
      errors {
        index
        field
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<LogEventsMutation, LogEventsMutationVariables>;
export const PlatformsDocument = new TypedDocumentString(`
    query Platforms($filter: EventFilter) {
  platforms(filter: $filter) {
    browsers {
      name
      users
    }
    operatingSystems {
      name
      users
    }
  }
}
    `) as unknown as TypedDocumentString<PlatformsQuery, PlatformsQueryVariables>;
export const ProductivityDocument = new TypedDocumentString(`
    query Productivity($filter: EventFilter, $groupBy: [ProductivityGroup!], $idleSeconds: Int, $first: Int) {
  productivity(
    filter: $filter
    groupBy: $groupBy
    idleSeconds: $idleSeconds
    first: $first
  ) {
    userId
    userName
    projectId
    taskId
    jobId
    shapeType
    period
    objectsCreated
    objectsUpdated
    objectsDeleted
    manualObjectsCreated
    importedObjectsCreated
    automaticObjectsCreated
    workingHours
    objectsPerHour
    undo
    redo
    reworkRatio
  }
}
    `) as unknown as TypedDocumentString<ProductivityQuery, ProductivityQueryVariables>;
export const ProjectDetailsDocument = new TypedDocumentString(`
    query ProjectDetails($id: ID!) {
  project(id: $id) {
    id
    workingTime {
      milliseconds
      actions
    }
    firstEventAt
    lastEventAt
    eventCount
  }
}
    `) as unknown as TypedDocumentString<ProjectDetailsQuery, ProjectDetailsQueryVariables>;
export const QuarantineDocument = new TypedDocumentString(`
    query Quarantine($first: Int, $after: String, $reason: String) {
  quarantine {
    total
    reasons {
      reason
      count
      lastAt
    }
    events(first: $first, after: $after, reason: $reason) {
      nodes {
        id
        receivedAt
        path
        reason
        message
        requestId
        position
        raw
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<QuarantineQuery, QuarantineQueryVariables>;
export const ScopeDurationsDocument = new TypedDocumentString(`
    query ScopeDurations($filter: EventFilter) {
  scopeDurations(filter: $filter) {
    scope
    source
    count
    avgDuration
    minDuration
    maxDuration
  }
}
    `) as unknown as TypedDocumentString<ScopeDurationsQuery, ScopeDurationsQueryVariables>;
export const StartExportDocument = new TypedDocumentString(`
    mutation StartExport($filter: EventFilter, $format: ExportFormat, $includeExceptions: Boolean, $filename: String) {
  startExport(
    filter: $filter
    format: $format
    includeExceptions: $includeExceptions
    filename: $filename
  ) {
    queryId
    export {
      status
    }
  }
}
    `) as unknown as TypedDocumentString<StartExportMutation, StartExportMutationVariables>;
export const TaskDetailsDocument = new TypedDocumentString(`
    query TaskDetails($id: ID!) {
  task(id: $id) {
    id
    workingTime {
      milliseconds
      actions
    }
    firstEventAt
    lastEventAt
    eventCount
  }
}
    `) as unknown as TypedDocumentString<TaskDetailsQuery, TaskDetailsQueryVariables>;
export const TestAlertRuleDocument = new TypedDocumentString(`
    mutation TestAlertRule($id: ID!) {
  testAlertRule(id: $id) {
    id
    state
    status
    attempts
    statusCodes
    lastError
    payload
  }
}
    `) as unknown as TypedDocumentString<TestAlertRuleMutation, TestAlertRuleMutationVariables>;
export const UpdateAlertRuleDocument = new TypedDocumentString(`
    mutation UpdateAlertRule($id: ID!, $input: AlertRuleInput!) {
  updateAlertRule(id: $id, input: $input) {
    ...AlertRuleFields
  }
}
    fragment AlertRuleFields on AlertRule {
  id
  name
  kind
  orgId
  orgSlug
  state
  firingSince
  lastFiredAt
  lastResolvedAt
  lastEvaluatedAt
  value
  windowMinutes
  threshold
  factor
  filter
  enabled
  hasWebhook
  webhookUrl
  webhookSecret
  createdBy
}`) as unknown as TypedDocumentString<UpdateAlertRuleMutation, UpdateAlertRuleMutationVariables>;
export const UserDetailsDocument = new TypedDocumentString(`
    query UserDetails($id: ID!, $from: DateTime, $to: DateTime) {
  user(id: $id) {
    id
    name
    workingTime(from: $from, to: $to) {
      milliseconds
      hours
      actions
    }
    firstEventAt
    lastEventAt
    eventCount
  }
}
    `) as unknown as TypedDocumentString<UserDetailsQuery, UserDetailsQueryVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    userId
    username
    role
    orgSlug
    orgRole
    tokenKind
    source
    cvat {
      privilege
      superuser
      analyticsAccess
      credential
      memberships {
        orgId
        slug
        name
        role
      }
      confirmedAt
      freshUntil
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const WebEventsDocument = new TypedDocumentString(`
    query WebEvents($filter: EventFilter, $first: Int, $after: String, $orderBy: EventOrder) {
  events(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    nodes {
      id
      timestamp
      scope
      source
      objName
      objId
      objVal
      count
      duration
      orgSlug
      projectId
      taskId
      jobId
      userId
      userName
      requestId
      payload
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<WebEventsQuery, WebEventsQueryVariables>;
export const WebExceptionsDocument = new TypedDocumentString(`
    query WebExceptions($filter: EventFilter, $first: Int, $after: String) {
  exceptions(filter: $filter, first: $first, after: $after) {
    nodes {
      id
      timestamp
      source
      userId
      userName
      orgId
      projectId
      taskId
      jobId
      message
      stack
      groupId
      event {
        requestId
        payload
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<WebExceptionsQuery, WebExceptionsQueryVariables>;
export const WebFiringAlertRulesDocument = new TypedDocumentString(`
    query WebFiringAlertRules($filter: EventFilter) {
  alertRules(states: [FIRING], filter: $filter) {
    id
    name
    kind
    orgSlug
    firingSince
    value
    threshold
    windowMinutes
  }
}
    `) as unknown as TypedDocumentString<WebFiringAlertRulesQuery, WebFiringAlertRulesQueryVariables>;
export const WebViewerDocument = new TypedDocumentString(`
    query WebViewer {
  viewer {
    userId
    username
    role
    orgSlug
    orgRole
    source
    tokenKind
    organizations {
      id
      slug
      name
      role
    }
  }
}
    `) as unknown as TypedDocumentString<WebViewerQuery, WebViewerQueryVariables>;
export const WorkingTimeDocument = new TypedDocumentString(`
    query WorkingTime($filter: EventFilter, $groupBy: [WorkingTimeDimension!], $first: Int) {
  workingTime(filter: $filter, groupBy: $groupBy, first: $first) {
    userId
    userName
    projectId
    taskId
    jobId
    milliseconds
    hours
    actions
  }
}
    `) as unknown as TypedDocumentString<WorkingTimeQuery, WorkingTimeQueryVariables>;