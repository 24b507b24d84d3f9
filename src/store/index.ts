import type { StoreConfig } from '../config.js'
import type { EventRecord, StoredEvent } from '../domain/event.js'
import type { AuthorizedFilter, TimeRange } from '../domain/filter.js'
import type { QuarantinedEvent, QuarantineEntry, QuarantineReasonCount } from '../domain/quarantine.js'
import { activeUsers, type ActiveUser } from './active-users.js'
import { copyEventWindow, type CopyWindowOptions } from './bulk-copy.js'
import { createEngine, type EngineObserver } from './engine.js'
import { entitySpans, listEntityIds, type EntitySpan } from './entities.js'
import { listEvents, type EventPage, type EventPageRequest } from './events-read.js'
import { insertEventBlock, type EventBlock } from './events-write.js'
import {
  planExport,
  streamExportWindow,
  type ExportPlan,
  type ExportQuery,
  type ExportReadOptions,
  type ExportStreamOptions,
  type ExportWindow,
} from './export-read.js'
import {
  exceptionGroupSeries,
  listExceptionGroups,
  type ExceptionGroup,
  type ExceptionGroupCursor,
  type ExceptionGroupOrder,
  type ExceptionGroupPage,
  type ExceptionGroupPageRequest,
  type ExceptionGroupSeries,
} from './exception-groups-read.js'
import { filterOptions, type FilterOptions } from './filter-options.js'
import { migrate } from './migrations.js'
import { platforms, type PlatformCount } from './platforms.js'
import {
  addQuarantined,
  quarantinePage,
  quarantineReasons,
  type QuarantineCursor,
  type QuarantinePage,
  type QuarantinePageRequest,
} from './quarantine.js'
import { scopeDurations, type ScopeDuration } from './scope-durations.js'
import { insertSyntheticEvents, type SyntheticEventsOptions } from './synthetic-events.js'
import { activityByEntity, activityOverTime, type EntitySeries, type TimeBucket } from './time-series.js'
import {
  workingTimeBreakdown,
  workingTimeTotals,
  type EntityKind,
  type WorkingTimeDimension,
  type WorkingTimeRow,
} from './working-time-read.js'

/** Events, a page at a time. */
export interface EventQueries {
  /** One page in (timestamp, event_id) order, keyset-paginated. */
  page(filter: AuthorizedFilter, page: EventPageRequest): Promise<EventPage>
}

/** The dashboards' aggregations; every one runs inside the filter the policy authorized. */
export interface AnalyticsQueries {
  /** Events and distinct users per interval, gaps filled. */
  activity(filter: AuthorizedFilter, range: TimeRange, intervalMs: number): Promise<TimeBucket[]>
  /** The same, one series per entity of a kind (all active ones, or those of `ids`). */
  activityByEntity(
    filter: AuthorizedFilter,
    range: TimeRange,
    intervalMs: number,
    kind: EntityKind,
    ids?: readonly string[],
  ): Promise<EntitySeries[]>
  /** Working time and actions grouped by any of user, project, task, job. */
  workingTime(
    filter: AuthorizedFilter,
    groupBy: readonly WorkingTimeDimension[],
    limit: number,
  ): Promise<WorkingTimeRow[]>
  /** Working time and actions of many entities of one kind, in one query. */
  workingTimeTotals(
    filter: AuthorizedFilter,
    kind: EntityKind,
    ids: readonly string[],
  ): Promise<Map<string, { ms: number; actions: number }>>
  /** Users with events in the filter's range, latest first. */
  activeUsers(filter: AuthorizedFilter, limit: number): Promise<{ count: number; users: ActiveUser[] }>
  scopeDurations(filter: AuthorizedFilter): Promise<ScopeDuration[]>
  platforms(filter: AuthorizedFilter): Promise<{ browsers: PlatformCount[]; systems: PlatformCount[] }>
  filterOptions(filter: AuthorizedFilter, limit: number): Promise<FilterOptions>
}

/** Exceptions grouped by their group id (the `exception_group` column). */
export interface ExceptionQueries {
  /** Groups of the filter's exceptions, ranked and keyset-paginated. */
  groups(filter: AuthorizedFilter, page: ExceptionGroupPageRequest): Promise<ExceptionGroupPage>
  /** The most frequent groups in the range, each as a gap-filled series. */
  groupSeries(
    filter: AuthorizedFilter,
    range: TimeRange,
    intervalMs: number,
    limit: number,
  ): Promise<ExceptionGroupSeries[]>
}

/** Jobs, tasks, projects and users as their events describe them. */
export interface EntityQueries {
  /** First and last event and event count of many entities of one kind, in one query. */
  spans(filter: AuthorizedFilter, kind: EntityKind, ids: readonly string[]): Promise<Map<string, EntitySpan>>
  /** Entities of a kind with matching events, most recently active first. */
  list(filter: AuthorizedFilter, kind: EntityKind, limit: number): Promise<string[]>
}

/** What exports read: a plan of time windows, then each window in the engine's own format. */
export interface ExportQueries {
  plan(query: ExportQuery, options: ExportReadOptions): Promise<ExportPlan>
  stream(query: ExportQuery, window: ExportWindow, options: ExportStreamOptions): AsyncIterable<Uint8Array>
}

/** Writes of serialised event blocks (group commit and the spool build them). */
export interface EventWrites {
  /** One block in one insert; resolves once ClickHouse has it. */
  insert(block: EventBlock): Promise<void>
}

/** Events set aside instead of stored (the CVAT-logger listener's quarantine). */
export interface QuarantineQueries {
  /** Writes entries in one insert; a retry with the same `dedupToken` adds nothing. */
  add(entries: readonly QuarantineEntry[], dedupToken: string): Promise<void>
  /** One page, newest first, keyset-paginated. */
  page(request: QuarantinePageRequest): Promise<QuarantinePage>
  /** Counts per reason, most first. */
  reasons(): Promise<QuarantineReasonCount[]>
}

/** Whole-table operations for the demo simulator and benchmarks, inside the engine. */
export interface BulkOperations {
  copyWindow(options: CopyWindowOptions): Promise<void>
  insertSynthetic(options: SyntheticEventsOptions): Promise<void>
}

/**
 * The service's storage: named query families over one engine. Everything above this layer uses
 * these and never sees SQL, an engine or @clickhouse/client (ESLint enforces it).
 */
export interface Store {
  /** Which engine runs underneath, for logs and /ready only; capabilities are in the families. */
  readonly kind: 'embedded' | 'server'
  readonly events: EventQueries
  readonly analytics: AnalyticsQueries
  readonly exceptions: ExceptionQueries
  readonly entities: EntityQueries
  readonly exports: ExportQueries
  readonly ingest: EventWrites
  readonly quarantine: QuarantineQueries
  readonly bulk: BulkOperations
  /** Statements run so far, by name (metrics; tests that count store calls). */
  readonly statementCounts: ReadonlyMap<string, number>
  /** Creates or upgrades the schema; idempotent. */
  migrate(): Promise<void>
  /** True when the engine answers a trivial query. */
  ping(): Promise<boolean>
  close(): Promise<void>
}

export interface StoreOptions {
  /** Told about every statement once it ends (metrics). */
  readonly observe?: EngineObserver
}

export function createStore(config: StoreConfig, options: StoreOptions = {}): Store {
  const engine = createEngine(config, options.observe)
  return {
    kind: engine.kind,
    events: { page: (filter, page) => listEvents(engine, filter, page) },
    analytics: {
      activity: (filter, range, intervalMs) => activityOverTime(engine, filter, range, intervalMs),
      activityByEntity: (filter, range, intervalMs, kind, ids) =>
        activityByEntity(engine, filter, range, intervalMs, kind, ids),
      workingTime: (filter, groupBy, limit) => workingTimeBreakdown(engine, filter, groupBy, limit),
      workingTimeTotals: (filter, kind, ids) => workingTimeTotals(engine, filter, kind, ids),
      activeUsers: (filter, limit) => activeUsers(engine, filter, limit),
      scopeDurations: (filter) => scopeDurations(engine, filter),
      platforms: (filter) => platforms(engine, filter),
      filterOptions: (filter, limit) => filterOptions(engine, filter, limit),
    },
    exceptions: {
      groups: (filter, page) => listExceptionGroups(engine, filter, page),
      groupSeries: (filter, range, intervalMs, limit) =>
        exceptionGroupSeries(engine, filter, range, intervalMs, limit),
    },
    entities: {
      spans: (filter, kind, ids) => entitySpans(engine, filter, kind, ids),
      list: (filter, kind, limit) => listEntityIds(engine, filter, kind, limit),
    },
    exports: {
      plan: (query, options) => planExport(engine, query, options),
      stream: (query, window, options) => streamExportWindow(engine, query, window, options),
    },
    ingest: { insert: (block) => insertEventBlock(engine, block) },
    quarantine: {
      add: (entries, dedupToken) => addQuarantined(engine, entries, dedupToken),
      page: (request) => quarantinePage(engine, request),
      reasons: () => quarantineReasons(engine),
    },
    bulk: {
      copyWindow: (options) => copyEventWindow(engine, options),
      insertSynthetic: (options) => insertSyntheticEvents(engine, options),
    },
    statementCounts: engine.queryCounts,
    migrate: () => migrate(engine, { retentionDays: config.retentionDays }),
    ping: () => engine.ping(),
    close: () => engine.close(),
  }
}

export type { EventRecord, StoredEvent }
export type { QuarantinedEvent, QuarantineEntry, QuarantineReasonCount }
export type { QuarantineCursor, QuarantinePage, QuarantinePageRequest }
export type { EventBlock }
export type { ActiveUser, EntitySpan, FilterOptions, PlatformCount, ScopeDuration }
export type { EntitySeries, TimeBucket, EntityKind, WorkingTimeDimension, WorkingTimeRow }
export type { EventPage, EventPageRequest }
export type {
  ExceptionGroup,
  ExceptionGroupCursor,
  ExceptionGroupOrder,
  ExceptionGroupPage,
  ExceptionGroupPageRequest,
  ExceptionGroupSeries,
}
export { groupCursorValue } from './exception-groups-read.js'
export type { ExportPlan, ExportQuery, ExportWindow }
export type { EventCursor } from './events-read.js'
export type { ExportEngineFormat } from './export-read.js'
export type { CopyWindowOptions, SyntheticEventsOptions }
export type { EngineObserver as StatementObserver, Statement } from './engine.js'
export { WORKING_TIME_DIMENSIONS } from './working-time-read.js'
export { CSV_HEADER, EXPORT_COLUMNS } from './export-read.js'
export { serializeEvent, deserializeEvent, CVAT_COLUMNS } from './event-record.js'
export { StoreUnavailableError, StoreConfigError, QueryTimeoutError, answerOf } from './errors.js'
export type { UnavailableReason, ConfigProblem } from './errors.js'
export { MIN_CLICKHOUSE_VERSION } from './server-version.js'
export { QUARANTINE_RETENTION_DAYS } from './schema/quarantine-table.js'
