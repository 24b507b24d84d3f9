import { builder } from '../builder.js'
import { CATEGORIES } from '../domain/exception-categories.js'
import { withScopes, type AuthorizedFilter, type TimeRange } from '../domain/filter.js'
import { badInput } from '../errors.js'
import { EXCEPTION_SCOPE } from '../domain/scopes.js'
import type { ExceptionMessageRow, ExceptionReportData, PeriodCounts } from '../store/index.js'
import { aggregationScope } from './aggregation-scope.js'
import { EventFilterInput } from './event-filter.js'

interface Report {
  /**
   * The report's figures, read once on first use: a request for the top messages alone (Grafana's
   * drill-down panel) does not pay for the report's scan.
   */
  readonly data: () => Promise<ExceptionReportData>
  readonly range: TimeRange
  readonly previousFrom: number
  /** The authorized filter over the current range, for the drill-down. */
  readonly filter: AuthorizedFilter
}

interface Figures extends PeriodCounts {
  readonly source: string | null
  readonly category: string | null
  /** The current period's total, for the share. */
  readonly total: number
}

/** (current − previous) / previous × 100; null when there is no previous to compare with. */
const delta = (current: number, previous: number) =>
  previous === 0 ? null : ((current - previous) * 100) / previous

const FiguresType = builder.objectRef<Figures>('ExceptionFigures').implement({
  description:
    'Kept exceptions of one slice (all, a source, a category, a source and category) in the range and the equal period before it.',
  fields: (t) => ({
    source: t.string({
      nullable: true,
      description: "'client' or 'server'; null when not split by source.",
      resolve: (f) => f.source,
    }),
    category: t.string({
      nullable: true,
      description: 'The category; null when not split by category.',
      resolve: (f) => f.category,
    }),
    count: t.float({ description: 'Exceptions in the range.', resolve: (f) => f.count }),
    previousCount: t.float({
      description: 'Exceptions in the period before.',
      resolve: (f) => f.previousCount,
    }),
    deltaPercent: t.float({
      nullable: true,
      description: '(count − previousCount) / previousCount × 100; null when previousCount is 0.',
      resolve: (f) => delta(f.count, f.previousCount),
    }),
    users: t.float({ description: 'Distinct users hit in the range.', resolve: (f) => f.users }),
    previousUsers: t.float({
      description: 'Distinct users hit in the period before.',
      resolve: (f) => f.previousUsers,
    }),
    usersDeltaPercent: t.float({
      nullable: true,
      description: 'The change in users, as deltaPercent.',
      resolve: (f) => delta(f.users, f.previousUsers),
    }),
    share: t.float({
      description: "Percent of the range's kept exceptions.",
      resolve: (f) => (f.total === 0 ? 0 : (f.count * 100) / f.total),
    }),
  }),
})

const DayType = builder.objectRef<ExceptionReportData['byDay'][number]>('ExceptionCategoryDay').implement({
  description: 'Kept exceptions of one category on one day (UTC) of the range.',
  fields: (t) => ({
    day: t.field({ type: 'DateTime', description: 'Midnight UTC of the day.', resolve: (d) => d.dayMs }),
    category: t.exposeString('category'),
    count: t.float({ resolve: (d) => d.count }),
  }),
})

const MessageType = builder.objectRef<ExceptionMessageRow>('ExceptionMessage').implement({
  description: 'One message (lower-cased) of one category and source, in the range.',
  fields: (t) => ({
    category: t.exposeString('category'),
    message: t.exposeString('message'),
    source: t.exposeString('source'),
    count: t.float({ resolve: (m) => m.count }),
    users: t.float({ description: 'Distinct users.', resolve: (m) => m.users }),
  }),
})

const byCount = (a: Figures, b: Figures) =>
  b.count - a.count ||
  b.previousCount - a.previousCount ||
  String(a.category ?? a.source).localeCompare(String(b.category ?? b.source))

const ReportType = builder.objectRef<Report>('ExceptionReport').implement({
  description:
    "CVAT's Users Exceptions dashboard: `send:exception` events (blank messages and expected refusals left out) by source and category, in the range and the equal period before it.",
  fields: (t) => ({
    from: t.field({ type: 'DateTime', resolve: (r) => r.range.from }),
    to: t.field({ type: 'DateTime', resolve: (r) => r.range.to }),
    previousFrom: t.field({
      type: 'DateTime',
      description: 'The period before is [previousFrom, from): as long as the range, right before it.',
      resolve: (r) => r.previousFrom,
    }),
    totals: t.field({
      type: FiguresType,
      description: 'Total Errors and Unique Users Impacted, with their change.',
      resolve: async (r) => {
        const data = await r.data()
        return { ...data.totals, source: null, category: null, total: data.totals.count }
      },
    }),
    bySource: t.field({
      type: [FiguresType],
      description: 'Server vs Client: per source.',
      resolve: async (r) => {
        const data = await r.data()
        return [...data.bySource.entries()]
          .map(([source, c]) => ({ ...c, source, category: null, total: data.totals.count }))
          .sort((a, b) => String(a.source).localeCompare(String(b.source)))
      },
    }),
    categories: t.field({
      type: [FiguresType],
      description:
        'Category Share: per category, largest first (a category seen only in the period before has a count of 0).',
      args: {
        minCount: t.arg.int({
          required: false,
          defaultValue: 0,
          description: 'Only categories with at least this many errors in the range (1: those in the share).',
        }),
      },
      resolve: async (r, args) => {
        const data = await r.data()
        return [...data.byCategory.entries()]
          .filter(([, c]) => c.count >= (args.minCount ?? 0))
          .map(([category, c]) => ({ ...c, source: null, category, total: data.totals.count }))
          .sort(byCount)
      },
    }),
    summary: t.field({
      type: [FiguresType],
      description: 'Category Summary: per source and category, largest first.',
      resolve: async (r) => {
        const data = await r.data()
        return [...data.bySourceCategory.values()]
          .map((c) => ({ ...c, total: data.totals.count }))
          .sort(byCount)
      },
    }),
    byDay: t.field({
      type: [DayType],
      description: 'Errors by Day (stacked by category): the range only, days ascending.',
      resolve: async (r) => (await r.data()).byDay,
    }),
    topMessages: t.field({
      type: [MessageType],
      description:
        'Category Drilldown (Top Exceptions): the most frequent messages in the range, of one category or all.',
      args: {
        category: t.arg.string({
          required: false,
          description: 'One of `exceptionCategories`; absent: all.',
        }),
        first: t.arg.int({ required: false, defaultValue: 200 }),
      },
      resolve: (r, args, ctx) => {
        const first = args.first ?? 200
        const max = ctx.limits.maxPageSize
        if (first < 1 || first > max) throw badInput(`first must be from 1 to ${max}`, { field: 'first' })
        const category = args.category ?? null
        if (category !== null && !CATEGORIES.includes(category)) {
          throw badInput(`category: '${category}' is not one of exceptionCategories`, { field: 'category' })
        }
        return ctx.store.exceptions.messages(r.filter, category, first)
      },
    }),
  }),
})

builder.queryField('exceptionReport', (t) =>
  t.field({
    type: ReportType,
    description:
      "Reported errors triaged as CVAT's Users Exceptions dashboard does: totals, sources and categories with the change against the equal period before. Range as for `activity`.",
    args: { filter: t.arg({ type: EventFilterInput, required: false }) },
    resolve: (_root, args, ctx) => {
      const { filter, range } = aggregationScope(ctx, args.filter)
      const exceptions = withScopes(filter, [EXCEPTION_SCOPE])
      const previousFrom = range.from - (range.to - range.from)
      let data: Promise<ExceptionReportData> | undefined
      const read = () => (data ??= ctx.store.exceptions.report(exceptions, { ...range, previousFrom }))
      return { data: read, range, previousFrom, filter: exceptions }
    },
  }),
)

builder.queryField('exceptionCategories', (t) =>
  t.stringList({
    description:
      "The categories of `exceptionReport`, in the order CVAT's rules try them; the last is 'Other / uncategorized'.",
    resolve: () => [...CATEGORIES],
  }),
)
