import {
  exceptionMessages,
  exceptionReport,
  type ExceptionMessageRow,
  type ExceptionReportData,
  type ExceptionReportRange,
  type PeriodCounts,
} from './exception-report.js'
import type { StoreConfig } from '../config.js'
import type { EventRecord, EventTextColumn, EventTextRef, EventTexts, StoredEvent } from '../domain/event.js'
import type { AuthorizedFilter, TimeRange } from '../domain/filter.js'
import type { QuarantinedEvent, QuarantineEntry, QuarantineReasonCount } from '../domain/quarantine.js'
import { activeUsers, type ActiveUser } from './active-users.js'
import { createAlertQueries, type AlertQueries } from './alert-queries.js'
import { copyEventWindow, type CopyWindowOptions } from './bulk-copy.js'
import { createEngine, type EngineObserver } from './engine.js'
import { entitySpans, listEntityIds, type EntitySpan } from './entities.js'
import { listEvents, type EventPage, type EventPageRequest } from './events-read.js'
import { readEventTexts } from './event-texts.js'
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
  deleteExportRecord,
  listExportRecords,
  loadExportRecord,
  saveExportRecord,
  type ExportRecordRow,
  type ExportRecordSelection,
} from './export-records.js'
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
import { answeredByGroups, filterOptions, sharedFilterOptions, type FilterOptions } from './filter-options.js'
import { createSharedReads } from './shared-reads.js'
import type { JobFlow } from '../domain/job-flow.js'
import type { IdleGapRow } from '../domain/productivity.js'
import { jobFlows, jobFlowsOf } from './job-flow-read.js'
import { idleGaps, type ActivityRequest } from './productivity-activity.js'
import { productivity, type ProductivityAnswer, type ProductivityRequest } from './productivity-read.js'
import { migrate } from './migrations.js'
import { schemaGaps } from './schema-gaps.js'
import { platforms, type PlatformCount } from './platforms.js'
import { createRollupBackfill } from './rollups/backfill.js'
import { EXCEPTIONS_COPY, JOB_TRAIL } from './rollups/catalog.js'
import { cubeSource, jobTrailSource, rawSource, type Cube } from './rollups/cube.js'
import { createRollupFeed } from './rollups/feed.js'
import type { RollupFeedMode } from './schema/rollups.js'
import { schemaLayout } from './schema/layout.js'
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
  /**
   * One large text of events a page left out (`withheldTexts`), by id; `maxChars` cuts each to its
   * first characters in the engine. Callers hold the texts' sizes to their budget first.
   */
  texts(refs: readonly EventTextRef[], column: EventTextColumn, maxChars?: number): Promise<EventTexts>
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

/** What each person, job and project produces per hour of work, and how jobs flow through review. */
export interface ProductivityQueries {
  /** Objects, working time (stored or recomputed at another idle cutoff), undo/redo per group. */
  rows(request: ProductivityRequest): Promise<ProductivityAnswer>
  /** The histogram of gaps between consecutive client events, and working time at four cutoffs, per group. */
  idleGaps(request: ActivityRequest): Promise<{ rows: IdleGapRow[]; overflow: boolean }>
  /** Jobs whose stage, state or assignee changed in the filter, latest first, with their flows up to `toMs`. */
  jobFlows(filter: AuthorizedFilter, toMs: number, limit: number): Promise<JobFlow[]>
  /** The flows of some jobs, up to `toMs` (absent: no events). */
  jobFlowsOf(filter: AuthorizedFilter, jobIds: readonly string[], toMs: number): Promise<Map<string, JobFlow>>
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
  /** CVAT's Users Exceptions figures over the range and the equal period before it, in one scan. */
  report(filter: AuthorizedFilter, range: ExceptionReportRange): Promise<ExceptionReportData>
  /** The most frequent (lower-cased) messages of the filter's range, of one category or all. */
  messages(filter: AuthorizedFilter, category: string | null, limit: number): Promise<ExceptionMessageRow[]>
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

/**
 * Exports' records, shared by every replica of the API (each change a new version; reads see the
 * latest), so that an export started on one replica is known to all.
 */
export interface ExportRecordQueries {
  save(row: ExportRecordRow): Promise<void>
  /** The record's JSON; undefined when it never existed or was forgotten. */
  load(id: string): Promise<string | undefined>
  /** The records' JSON, oldest first. */
  list(selection: ExportRecordSelection): Promise<string[]>
  remove(id: string): Promise<void>
}

/** Writes of serialised event blocks (group commit and the spool build them). */
export interface EventWrites {
  /** One block in one insert; resolves once ClickHouse has it. */
  insert(block: EventBlock): Promise<void>
}

/** The rollups' state: reads use a rollup only once its backfill is complete. */
export interface RollupState {
  /** Rollups ready and pending, the backfill's last failure (it retries), the feed and its last failure. */
  status(): {
    ready: string[]
    pending: string[]
    lastError: string | null
    feed: RollupFeedMode | null
    feedError: string | null
  }
  /** Resolves once every rollup is ready (benchmarks and tests wait for it). */
  whenReady(): Promise<void>
  /**
   * Fed by passes: counts now every event committed before the call (benchmarks and tests that
   * measure the rollups themselves; answers are exact without it). Views: nothing to do.
   */
  flush(): Promise<void>
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
  readonly productivity: ProductivityQueries
  readonly exceptions: ExceptionQueries
  readonly entities: EntityQueries
  readonly exports: ExportQueries
  readonly exportRecords: ExportRecordQueries
  readonly ingest: EventWrites
  readonly quarantine: QuarantineQueries
  /** Alert rules, their states, notifications and evaluation lease (src/store/alert-queries.ts). */
  readonly alerts: AlertQueries
  readonly bulk: BulkOperations
  readonly rollups: RollupState
  /** Statements run so far, by name (metrics; tests that count store calls). */
  readonly statementCounts: ReadonlyMap<string, number>
  /**
   * Creates or upgrades the schema (idempotent), then starts the rollups' backfill in the
   * background; after a migration that rebuilt a schema which went away, the backfill counts again
   * what its record (gone with the tables) no longer says is done.
   */
  migrate(): Promise<void>
  /** What the schema lacks (tables, the events table's columns); empty when complete (schema-gaps.ts). */
  schemaGaps(): Promise<string[]>
  /** True when the engine answers a trivial query. */
  ping(): Promise<boolean>
  close(): Promise<void>
}

export interface StoreOptions {
  /** Told about every statement once it ends (metrics). */
  readonly observe?: EngineObserver
  /**
   * false: every aggregation reads the raw table (the rollups are still kept up to date by the
   * engine). For the equality test and the benchmarks' reference figures. @default true
   */
  readonly rollups?: boolean
  /**
   * How long an answer read for many callers (`SharedReads`: the filter options of an
   * organization) is reused: the response cache's TTL. 0: shared only while under way. @default 0
   */
  readonly sharedReadTtlMs?: number
  /**
   * false: `filterOptions` scans for each filter, never through the shared per-person read (for
   * the equality test, which compares both). @default true
   */
  readonly sharedFilterOptions?: boolean
}

export function createStore(config: StoreConfig, options: StoreOptions = {}): Store {
  const engine = createEngine(config, options.observe)
  const layout = schemaLayout(engine.database, config.kind === 'server' ? config.cluster : undefined)
  const backfill = createRollupBackfill(engine, layout)
  const shared = createSharedReads(options.sharedReadTtlMs ?? 0)
  const feeder = createRollupFeed(engine, layout, { intervalMs: config.rollupPassMs })
  let feed: RollupFeedMode | undefined
  const useRollups = config.useRollups && options.rollups !== false
  const copies = () => (useRollups ? [EXCEPTIONS_COPY].filter((c) => backfill.isReady(c.name)) : [])
  const cube: Cube = {
    source: (request) =>
      cubeSource(engine.database, request, useRollups ? backfill.ready() : [], copies(), feed ?? 'view'),
    rawSource: (filter) => rawSource(engine.database, filter, copies(), feed ?? 'view'),
    jobTrail: () =>
      useRollups && backfill.isReady(JOB_TRAIL.name) ? jobTrailSource(engine.database, feed ?? 'view') : null,
  }
  return {
    kind: engine.kind,
    events: {
      page: (filter, page) => listEvents(engine, cube, filter, page),
      texts: (refs, column, maxChars) => readEventTexts(engine, refs, column, maxChars),
    },
    analytics: {
      activity: (filter, range, intervalMs) => activityOverTime(engine, cube, filter, range, intervalMs),
      activityByEntity: (filter, range, intervalMs, kind, ids) =>
        activityByEntity(engine, cube, filter, range, intervalMs, kind, ids),
      workingTime: (filter, groupBy, limit) => workingTimeBreakdown(engine, cube, filter, groupBy, limit),
      workingTimeTotals: (filter, kind, ids) => workingTimeTotals(engine, cube, filter, kind, ids),
      activeUsers: (filter, limit) => activeUsers(engine, cube, filter, limit),
      scopeDurations: (filter) => scopeDurations(engine, cube, filter),
      platforms: (filter) => platforms(engine, cube, filter),
      filterOptions: (filter, limit) =>
        options.sharedFilterOptions !== false && answeredByGroups(filter)
          ? sharedFilterOptions(engine, cube, shared, filter, limit)
          : filterOptions(engine, cube, filter, limit),
    },
    productivity: {
      rows: (request) => productivity(engine, cube, request),
      idleGaps: (request) => idleGaps(engine, request),
      jobFlows: (filter, toMs, limit) => jobFlows(engine, cube, filter, toMs, limit),
      jobFlowsOf: (filter, jobIds, toMs) => jobFlowsOf(engine, cube, filter, jobIds, toMs),
    },
    exceptions: {
      groups: (filter, page) => listExceptionGroups(engine, filter, page),
      groupSeries: (filter, range, intervalMs, limit) =>
        exceptionGroupSeries(engine, filter, range, intervalMs, limit),
      report: (filter, range) => exceptionReport(engine, cube, filter, range),
      messages: (filter, category, limit) => exceptionMessages(engine, cube, filter, category, limit),
    },
    entities: {
      spans: (filter, kind, ids) => entitySpans(engine, cube, filter, kind, ids),
      list: (filter, kind, limit) => listEntityIds(engine, cube, filter, kind, limit),
    },
    exports: {
      plan: (query, options) => planExport(engine, query, options),
      stream: (query, window, options) => streamExportWindow(engine, query, window, options),
    },
    exportRecords: {
      save: (row) => saveExportRecord(engine, row),
      load: (id) => loadExportRecord(engine, id),
      list: (selection) => listExportRecords(engine, selection),
      remove: (id) => deleteExportRecord(engine, id),
    },
    ingest: { insert: (block) => insertEventBlock(engine, block) },
    quarantine: {
      add: (entries, dedupToken) => addQuarantined(engine, entries, dedupToken),
      page: (request) => quarantinePage(engine, request),
      reasons: () => quarantineReasons(engine),
    },
    alerts: createAlertQueries(engine, cube),
    bulk: {
      copyWindow: (options) => copyEventWindow(engine, options),
      insertSynthetic: (options) => insertSyntheticEvents(engine, options),
    },
    rollups: {
      status: () => ({ ...backfill.status(), feed: feed ?? null, feedError: feeder.lastError }),
      whenReady: () => backfill.whenReady(),
      flush: () => (feed === 'pass' ? feeder.flush() : Promise.resolve()),
    },
    statementCounts: engine.queryCounts,
    async migrate() {
      feed = await migrate(engine, {
        retentionDays: config.retentionDays,
        cluster: config.kind === 'server' ? config.cluster : undefined,
        feed: config.rollupFeed,
      })
      if (feed === 'pass') {
        engine.shareSnapshots()
        feeder.start()
      }
      backfill.start()
    },
    schemaGaps: () => schemaGaps(engine, config.kind === 'server' ? config.cluster : undefined),
    ping: () => engine.ping(),
    async close() {
      await feeder.stop()
      await backfill.stop()
      await engine.close()
    },
  }
}

export type { EventRecord, StoredEvent, EventTextColumn, EventTextRef, EventTexts }
export type { StoredEventField } from './stored-event.js'
export type { WithheldTexts } from '../domain/event.js'
export type { QuarantinedEvent, QuarantineEntry, QuarantineReasonCount }
export type { QuarantineCursor, QuarantinePage, QuarantinePageRequest }
export type { EventBlock }
export type {
  AlertQueries,
  AlertNotificationRow,
  AlertRuleRow,
  AlertStateRow,
  IdleJob,
  LeaseTerm,
  NewExceptionGroup,
} from './alert-queries.js'
export type { ActiveUser, EntitySpan, FilterOptions, PlatformCount, ScopeDuration }
export type { EntitySeries, TimeBucket, EntityKind, WorkingTimeDimension, WorkingTimeRow }
export type { EventPage, EventPageRequest }
export type { ProductivityAnswer, ProductivityRequest, ActivityRequest }
export type {
  ExceptionGroup,
  ExceptionGroupCursor,
  ExceptionGroupOrder,
  ExceptionGroupPage,
  ExceptionGroupPageRequest,
  ExceptionGroupSeries,
}
export { groupCursorValue } from './exception-groups-read.js'
export type { ExceptionMessageRow, ExceptionReportData, ExceptionReportRange, PeriodCounts }
export type { ExportPlan, ExportQuery, ExportWindow }
export type { ExportRecordRow, ExportRecordSelection }
export type { EventCursor } from './events-read.js'
export type { ExportEngineFormat } from './export-read.js'
export type { CopyWindowOptions, SyntheticEventsOptions }
export type { EngineObserver as StatementObserver, Statement } from './engine.js'
export { WORKING_TIME_DIMENSIONS } from './working-time-read.js'
export { CSV_HEADER, EXPORT_COLUMNS } from './export-read.js'
export { serializeEvent, deserializeEvent, CVAT_COLUMNS } from './event-record.js'
export {
  EngineUnavailableError,
  StoreUnavailableError,
  StoreConfigError,
  QueryTimeoutError,
  answerOf,
  mayMeanMissingColumn,
} from './errors.js'
export type { UnavailableReason, ConfigProblem } from './errors.js'
export { MIN_CLICKHOUSE_VERSION } from './server-version.js'
export { QUARANTINE_RETENTION_DAYS } from './schema/quarantine-table.js'
