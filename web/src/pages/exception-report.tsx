import { useQuery } from '../api/use-query'
import { BarList } from '../components/bars'
import { formatCount, formatDelta, formatNumber } from '../components/format'
import { pageLink } from '../components/links'
import { PageHeader } from '../components/page-header'
import { Panel } from '../components/panel'
import { Stat } from '../components/stat'
import { DataTable } from '../components/table'
import { TimeSeries } from '../components/time-series'
import { ExceptionReportDocument, type ExceptionReportQuery } from '../gql/graphql'
import { useView } from '../state/dashboard'
import { useSearch } from '../state/url'

const FILTERS = ['users', 'projects', 'tasks', 'jobs', 'sources'] as const
/** CVAT's dashboard opens on the last 30 days. */
const DEFAULT_FROM = 'now-30d'
const DAY_MS = 86_400_000

type Report = ExceptionReportQuery['exceptionReport']

/** Red when errors grew or held (CVAT's threshold at 0), green when they fell. */
const toneOf = (delta: number | null | undefined) =>
  delta === null || delta === undefined ? 'neutral' : delta >= 0 ? 'up' : 'down'

/**
 * CVAT's newer "Users Exceptions" dashboard: totals with the change against the equal period
 * before, server vs client, each category's share, errors by day stacked by category, the summary
 * per source and category, and the top messages of a category (a category opens its drilldown).
 */
export function ExceptionReport() {
  const view = useView(FILTERS, DEFAULT_FROM)
  const [params, update] = useSearch()
  const category = params.get('category')
  const report = useQuery(
    ExceptionReportDocument,
    { filter: view.filter, category, messages: 200 },
    view.org,
    view.tick,
  )
  const categoryLink = (name: string | null) => pageLink('/exceptions/report', params, { category: name })
  const open = (name: string | null) => (e: Event) => {
    e.preventDefault()
    update({ category: name })
  }
  const empty = (r: ExceptionReportQuery) => r.exceptionReport.totals.count === 0
  return (
    <>
      <PageHeader title="Users exceptions" filters={FILTERS} defaultFrom={DEFAULT_FROM} />
      <div class="grid">
        <Panel title="Total errors" span="quarter" query={report}>
          {(d) => (
            <Stat
              label="total-errors"
              value={formatCount(d.exceptionReport.totals.count)}
              tone={toneOf(d.exceptionReport.totals.deltaPercent)}
            >
              {formatDelta(d.exceptionReport.totals.deltaPercent)} vs the period before (
              {formatCount(d.exceptionReport.totals.previousCount)})
            </Stat>
          )}
        </Panel>
        <Panel title="Unique users impacted" span="quarter" query={report}>
          {(d) => (
            <Stat
              label="users-impacted"
              value={formatCount(d.exceptionReport.totals.users)}
              tone={toneOf(d.exceptionReport.totals.usersDeltaPercent)}
            >
              {formatDelta(d.exceptionReport.totals.usersDeltaPercent)} vs the period before (
              {formatCount(d.exceptionReport.totals.previousUsers)})
            </Stat>
          )}
        </Panel>
        <Panel
          title="Server vs client"
          span="half"
          query={report}
          empty={(d) => d.exceptionReport.bySource.length === 0}
        >
          {(d) => (
            <BarList
              label="Errors per source, this period and the one before"
              items={d.exceptionReport.bySource.map((s) => ({
                label: s.source ?? '—',
                value: s.count,
                note: `previous ${formatCount(s.previousCount)}`,
              }))}
            />
          )}
        </Panel>
        <Panel
          title="Category share"
          span="half"
          query={report}
          empty={empty}
          emptyText="No errors in this range."
        >
          {(d) => (
            <BarList
              label="Share of errors per category"
              format={(v) => `${formatNumber(v)} %`}
              items={d.exceptionReport.categories
                .filter((c) => c.count > 0)
                .map((c) => ({
                  label: c.category ?? '—',
                  value: c.share,
                  href: categoryLink(c.category ?? null),
                }))}
            />
          )}
        </Panel>
        <Panel
          title="Errors by day (stacked by category)"
          span="half"
          query={report}
          empty={empty}
          emptyText="No errors in this range."
        >
          {(d) => <ErrorsByDay report={d.exceptionReport} />}
        </Panel>
        <Panel title="Category summary" query={report} empty={(d) => d.exceptionReport.summary.length === 0}>
          {(d) => (
            <DataTable
              label="Errors per source and category"
              rows={d.exceptionReport.summary}
              rowKey={(r) => `${r.source}-${r.category}`}
              columns={[
                { key: 'source', label: 'Source', value: (r) => r.source ?? null },
                {
                  key: 'category',
                  label: 'Category',
                  value: (r) => r.category ?? null,
                  render: (r) => (
                    <a href={categoryLink(r.category ?? null)} onClick={open(r.category ?? null)}>
                      {r.category}
                    </a>
                  ),
                },
                {
                  key: 'count',
                  label: 'Count',
                  numeric: true,
                  value: (r) => r.count,
                  render: (r) => formatCount(r.count),
                },
                {
                  key: 'share',
                  label: '% of total',
                  numeric: true,
                  value: (r) => r.share,
                  render: (r) => `${formatNumber(r.share)} %`,
                },
                { key: 'users', label: 'Unique users', numeric: true, value: (r) => r.users },
                { key: 'previous', label: 'Previous count', numeric: true, value: (r) => r.previousCount },
                {
                  key: 'delta',
                  label: 'Change',
                  numeric: true,
                  value: (r) => r.deltaPercent ?? null,
                  render: (r) => (
                    <span class={`tone-${toneOf(r.deltaPercent)}`}>{formatDelta(r.deltaPercent)}</span>
                  ),
                },
                {
                  key: 'previousUsers',
                  label: 'Previous users',
                  numeric: true,
                  value: (r) => r.previousUsers,
                },
              ]}
            />
          )}
        </Panel>
        <Panel
          title={category ? `Top exceptions: ${category}` : 'Top exceptions (all categories)'}
          id="Category drilldown"
          query={report}
          empty={(d) => d.exceptionReport.topMessages.length === 0}
          emptyText={category ? 'No errors of this category in this range.' : 'No errors in this range.'}
          actions={
            category ? (
              <a href={categoryLink(null)} onClick={open(null)}>
                Show all categories
              </a>
            ) : undefined
          }
        >
          {(d) => (
            <DataTable
              label="The most frequent messages"
              rows={d.exceptionReport.topMessages}
              rowKey={(m, i) => `${m.category}-${m.source}-${i}`}
              columns={[
                { key: 'category', label: 'Category', value: (m) => m.category },
                { key: 'message', label: 'Message', wide: true, value: (m) => m.message },
                { key: 'source', label: 'Source', value: (m) => m.source },
                {
                  key: 'count',
                  label: 'Count',
                  numeric: true,
                  value: (m) => m.count,
                  render: (m) => formatCount(m.count),
                },
                { key: 'users', label: 'Unique users', numeric: true, value: (m) => m.users },
              ]}
            />
          )}
        </Panel>
      </div>
    </>
  )
}

/** Days of the range (UTC, as the API counts them), each category a stacked bar. */
function ErrorsByDay({ report }: { report: Report }) {
  const first = Math.floor(Date.parse(report.from) / DAY_MS) * DAY_MS
  const last = Math.floor(Date.parse(report.to) / DAY_MS) * DAY_MS
  const days: number[] = []
  for (let day = first; day <= last; day += DAY_MS) days.push(day)
  const order = report.categories.filter((c) => c.count > 0).map((c) => c.category ?? '')
  const counts = new Map<string, number>()
  for (const d of report.byDay) counts.set(`${d.category}\n${Date.parse(d.day)}`, d.count)
  return (
    <TimeSeries
      label="Errors per day, stacked by category"
      times={days}
      bars
      stacked
      series={order.map((name) => ({
        label: name,
        values: days.map((day) => counts.get(`${name}\n${day}`) ?? 0),
      }))}
    />
  )
}
