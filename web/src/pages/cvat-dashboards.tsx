import { useQuery } from '../api/use-query'
import { BarList } from '../components/bars'
import { formatCount, formatDuration, formatNumber, who } from '../components/format'
import { PageHeader } from '../components/page-header'
import { Panel } from '../components/panel'
import { Stat } from '../components/stat'
import { Code, DataTable } from '../components/table'
import { TimeSeries } from '../components/time-series'
import {
  ActiveUsersDocument,
  ActivityByUserDocument,
  ActivityDocument,
  ExceptionsOverTimeDocument,
  PlatformsDocument,
  ScopeDurationsDocument,
  WebEventsDocument,
  WebExceptionsDocument,
  WebFiringAlertRulesDocument,
  WorkingTimeDocument,
  type ActivityQuery,
  type WebEventsQuery,
} from '../gql/graphql'
import { FILTERS, useView, type View } from '../state/dashboard'
import { autoInterval, formatTime } from '../state/time'

/** The Grafana dashboards' variables: every filter. */
const ALL = FILTERS.map((f) => f.key)

const total = (buckets: readonly { count: number }[]) => buckets.reduce((sum, b) => sum + b.count, 0)

function useActivity(view: View, minMs = 0) {
  const interval = autoInterval(view.range.to - view.range.from, 150, minMs)
  const query = useQuery(
    ActivityDocument,
    { filter: view.filter, interval: interval.text },
    view.org,
    view.tick,
  )
  return { interval, query }
}

function OverallActivity({ view }: { view: View }) {
  const { interval, query } = useActivity(view)
  return (
    <Panel
      title="Overall activity"
      query={query}
      empty={(d: ActivityQuery) => total(d.activity.buckets) === 0}
    >
      {(d) => (
        <TimeSeries
          label={`Events per ${interval.text}`}
          times={d.activity.buckets.map((b) => Date.parse(b.time))}
          series={[{ label: 'Events', values: d.activity.buckets.map((b) => b.count) }]}
        />
      )}
    </Panel>
  )
}

type EventRow = WebEventsQuery['events']['nodes'][number]

const eventColumns = [
  {
    key: 'time',
    label: 'Time',
    value: (e: EventRow) => e.timestamp,
    render: (e: EventRow) => formatTime(e.timestamp),
  },
  { key: 'scope', label: 'Scope', value: (e: EventRow) => e.scope },
  {
    key: 'obj',
    label: 'Object',
    value: (e: EventRow) => [e.objName, e.objId, e.objVal].filter(Boolean).join(' ') || null,
  },
  { key: 'source', label: 'Source', value: (e: EventRow) => e.source },
  { key: 'count', label: 'Count', numeric: true, value: (e: EventRow) => e.count ?? null },
  {
    key: 'duration',
    label: 'Duration',
    numeric: true,
    value: (e: EventRow) => e.duration,
    render: (e: EventRow) => formatDuration(e.duration),
  },
  { key: 'project', label: 'Project', value: (e: EventRow) => e.projectId ?? null },
  { key: 'task', label: 'Task', value: (e: EventRow) => e.taskId ?? null },
  { key: 'job', label: 'Job', value: (e: EventRow) => e.jobId ?? null },
  { key: 'user', label: 'User', value: (e: EventRow) => who(e.userName, e.userId) },
]

/** CVAT's "All events": activity, the last 1000 events, browsers and operating systems. */
export function AllEvents() {
  const view = useView(ALL)
  const events = useQuery(
    WebEventsDocument,
    { filter: view.filter, first: 1000, orderBy: 'TIMESTAMP_DESC' },
    view.org,
    view.tick,
  )
  const platforms = useQuery(PlatformsDocument, { filter: view.filter }, view.org, view.tick)
  return (
    <>
      <PageHeader title="All events" filters={ALL} />
      <div class="grid">
        <OverallActivity view={view} />
        <Panel title="Events (the last 1000)" query={events} empty={(d) => d.events.nodes.length === 0}>
          {(d) => (
            <DataTable
              label="Events (the last 1000)"
              rows={d.events.nodes}
              rowKey={(e) => e.id}
              columns={eventColumns}
              details={(e) => <Code value={e.payload ?? null} />}
            />
          )}
        </Panel>
        <Panel
          title="Browsers"
          span="half"
          query={platforms}
          empty={(d) => d.platforms.browsers.length === 0}
        >
          {(d) => (
            <BarList
              label="Distinct users per browser"
              items={d.platforms.browsers.map((b) => ({ label: b.name, value: b.users }))}
            />
          )}
        </Panel>
        <Panel
          title="Operating systems"
          span="half"
          query={platforms}
          empty={(d) => d.platforms.operatingSystems.length === 0}
        >
          {(d) => (
            <BarList
              label="Distinct users per operating system"
              items={d.platforms.operatingSystems.map((b) => ({ label: b.name, value: b.users }))}
            />
          )}
        </Panel>
      </div>
    </>
  )
}

/** CVAT's "Management": activity per user, overall activity, working time per user, project, task and job. */
export function Management() {
  const view = useView(ALL)
  const interval = autoInterval(view.range.to - view.range.from)
  const byUser = useQuery(
    ActivityByUserDocument,
    { filter: view.filter, interval: interval.text },
    view.org,
    view.tick,
  )
  const working = useQuery(
    WorkingTimeDocument,
    { filter: view.filter, groupBy: ['USER', 'PROJECT', 'TASK', 'JOB'], first: 1000 },
    view.org,
    view.tick,
  )
  return (
    <>
      <PageHeader title="Management" filters={ALL} />
      <div class="grid">
        <Panel title="User activity" query={byUser} empty={(d) => d.activity.byUser.length === 0}>
          {(d) => {
            const first = d.activity.byUser[0]
            return (
              <TimeSeries
                label={`Events per ${interval.text}, one line per user`}
                times={(first?.buckets ?? []).map((b) => Date.parse(b.time))}
                series={d.activity.byUser.map((u) => ({
                  label: who(u.userName, u.userId),
                  values: u.buckets.map((b) => b.count),
                }))}
                height={260}
              />
            )
          }}
        </Panel>
        <OverallActivity view={view} />
        <Panel title="Working time" query={working} empty={(d) => d.workingTime.length === 0}>
          {(d) => (
            <DataTable
              label="Working time per user, project, task and job"
              rows={d.workingTime}
              rowKey={(r, i) => `${r.userId}-${r.projectId}-${r.taskId}-${r.jobId}-${i}`}
              columns={[
                { key: 'user', label: 'User', value: (r) => who(r.userName, r.userId) },
                { key: 'project', label: 'Project', value: (r) => r.projectId ?? null },
                { key: 'task', label: 'Task', value: (r) => r.taskId ?? null },
                { key: 'job', label: 'Job', value: (r) => r.jobId ?? null },
                {
                  key: 'hours',
                  label: 'Hours',
                  numeric: true,
                  value: (r) => r.hours,
                  render: (r) => formatNumber(r.hours),
                },
                {
                  key: 'actions',
                  label: 'Actions',
                  numeric: true,
                  value: (r) => r.actions,
                  render: (r) => formatCount(r.actions),
                },
              ]}
            />
          )}
        </Panel>
      </div>
    </>
  )
}

/** CVAT's "Monitoring": who is at work, durations per scope, exceptions over time and the last 1000. */
export function Monitoring() {
  const view = useView(ALL)
  const active = useQuery(
    ActiveUsersDocument,
    { filter: view.filter, windowMinutes: 15 },
    view.org,
    view.tick,
  )
  const { interval, query: activity } = useActivity(view, 900_000)
  const exceptionsInterval = autoInterval(view.range.to - view.range.from)
  const exceptionsOverTime = useQuery(
    ExceptionsOverTimeDocument,
    { filter: view.filter, interval: exceptionsInterval.text },
    view.org,
    view.tick,
  )
  const durations = useQuery(ScopeDurationsDocument, { filter: view.filter }, view.org, view.tick)
  const exceptions = useQuery(
    WebExceptionsDocument,
    { filter: view.filter, first: 1000 },
    view.org,
    view.tick,
  )
  // Rules firing now: their state, not the time range (as the Grafana panel asks).
  const { from: _from, to: _to, ...selection } = view.filter
  const alerts = useQuery(WebFiringAlertRulesDocument, { filter: selection }, view.org, view.tick)
  return (
    <>
      <PageHeader title="Monitoring" filters={ALL} />
      <div class="grid">
        <Panel
          title="Firing alert rules"
          description="Alert rules firing now, among those that may concern the selection (docs/alerts.md)."
          query={alerts}
          empty={(d) => d.alertRules.length === 0}
          emptyText="No rule is firing."
        >
          {(d) => (
            <DataTable
              label="Firing alert rules"
              rows={d.alertRules}
              rowKey={(r) => r.id}
              columns={[
                { key: 'name', label: 'Rule', wide: true, value: (r) => r.name },
                { key: 'kind', label: 'Kind', value: (r) => r.kind },
                { key: 'org', label: 'Organization', value: (r) => r.orgSlug ?? null },
                {
                  key: 'since',
                  label: 'Firing since',
                  value: (r) => r.firingSince ?? null,
                  render: (r) => (r.firingSince ? formatTime(r.firingSince) : '—'),
                },
                {
                  key: 'value',
                  label: 'Value',
                  numeric: true,
                  value: (r) => r.value ?? null,
                  render: (r) => (r.value === null || r.value === undefined ? '—' : formatNumber(r.value)),
                },
                { key: 'threshold', label: 'Threshold', numeric: true, value: (r) => r.threshold },
                { key: 'window', label: 'Window (min)', numeric: true, value: (r) => r.windowMinutes },
              ]}
            />
          )}
        </Panel>
        <Panel title="Active users (now)" span="quarter" query={active}>
          {(d) => (
            <Stat label="active-users" value={formatCount(d.activeUsers.count)}>
              {d.activeUsers.users.length > 0
                ? d.activeUsers.users
                    .slice(0, 5)
                    .map((u) => who(u.userName, u.userId))
                    .join(', ') + (d.activeUsers.users.length > 5 ? ', …' : '')
                : `nobody in the last ${d.activeUsers.windowMinutes} minutes`}
            </Stat>
          )}
        </Panel>
        <Panel
          title="Active users over time"
          span="three-quarters"
          query={activity}
          empty={(d) => total(d.activity.buckets) === 0}
        >
          {(d) => (
            <TimeSeries
              label={`Distinct users per ${interval.text}`}
              times={d.activity.buckets.map((b) => Date.parse(b.time))}
              series={[{ label: 'Active users', values: d.activity.buckets.map((b) => b.users) }]}
            />
          )}
        </Panel>
        <Panel
          title="Events and durations per scope and source"
          query={durations}
          empty={(d) => d.scopeDurations.length === 0}
        >
          {(d) => (
            <DataTable
              label="Events and durations per scope and source"
              rows={d.scopeDurations}
              rowKey={(r) => `${r.scope}-${r.source}`}
              columns={[
                { key: 'scope', label: 'Scope', value: (r) => r.scope },
                { key: 'source', label: 'Source', value: (r) => r.source },
                {
                  key: 'count',
                  label: 'Events',
                  numeric: true,
                  value: (r) => r.count,
                  render: (r) => formatCount(r.count),
                },
                {
                  key: 'avg',
                  label: 'Average',
                  numeric: true,
                  value: (r) => r.avgDuration,
                  render: (r) => formatDuration(r.avgDuration),
                },
                {
                  key: 'min',
                  label: 'Minimum',
                  numeric: true,
                  value: (r) => r.minDuration,
                  render: (r) => formatDuration(r.minDuration),
                },
                {
                  key: 'max',
                  label: 'Maximum',
                  numeric: true,
                  value: (r) => r.maxDuration,
                  render: (r) => formatDuration(r.maxDuration),
                },
              ]}
            />
          )}
        </Panel>
        <Panel
          title="Exceptions"
          query={exceptionsOverTime}
          empty={(d) => total(d.exceptionsOverTime.buckets) === 0}
          emptyText="No exceptions in this range."
        >
          {(d) => (
            <TimeSeries
              label={`Exceptions per ${exceptionsInterval.text}`}
              times={d.exceptionsOverTime.buckets.map((b) => Date.parse(b.time))}
              series={[
                {
                  label: 'Exceptions',
                  values: d.exceptionsOverTime.buckets.map((b) => b.count),
                  color: '#d6323a',
                },
              ]}
            />
          )}
        </Panel>
        <Panel
          title="Exceptions (the last 1000)"
          query={exceptions}
          empty={(d) => d.exceptions.nodes.length === 0}
          emptyText="No exceptions in this range."
        >
          {(d) => (
            <DataTable
              label="Exceptions (the last 1000)"
              rows={d.exceptions.nodes}
              rowKey={(e) => e.id}
              columns={[
                {
                  key: 'time',
                  label: 'Time',
                  value: (e) => e.timestamp,
                  render: (e) => formatTime(e.timestamp),
                },
                { key: 'source', label: 'Source', value: (e) => e.source },
                { key: 'user', label: 'User', value: (e) => who(e.userName, e.userId) },
                { key: 'project', label: 'Project', value: (e) => e.projectId ?? null },
                { key: 'task', label: 'Task', value: (e) => e.taskId ?? null },
                { key: 'job', label: 'Job', value: (e) => e.jobId ?? null },
                { key: 'message', label: 'Message', wide: true, value: (e) => e.message ?? null },
              ]}
              details={(e) => (
                <>
                  <p class="detail-label">Stack</p>
                  <Code value={e.stack ?? '(none)'} />
                  <p class="detail-label">Payload</p>
                  <Code value={e.event.payload ?? null} />
                </>
              )}
            />
          )}
        </Panel>
      </div>
    </>
  )
}
