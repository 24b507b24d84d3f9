import { useQuery } from '../api/use-query'
import { formatCount, formatHours } from '../components/format'
import { pageLink } from '../components/links'
import { PageHeader } from '../components/page-header'
import { Panel } from '../components/panel'
import { Stat } from '../components/stat'
import { DataTable } from '../components/table'
import { TimeSeries } from '../components/time-series'
import {
  ActiveUsersDocument,
  ActivityDocument,
  ExceptionGroupsDocument,
  ExceptionsOverTimeDocument,
  WorkingTimeDocument,
} from '../gql/graphql'
import { useView } from '../state/dashboard'
import { ago, autoInterval } from '../state/time'

const FILTERS = ['users', 'projects', 'tasks', 'jobs'] as const

const total = (buckets: readonly { count: number }[]) => buckets.reduce((sum, b) => sum + b.count, 0)

/** The first page: how much happens, who is at work, what fails, and the errors that matter most. */
export function Overview() {
  const view = useView(FILTERS)
  const interval = autoInterval(view.range.to - view.range.from)
  const vars = { filter: view.filter, interval: interval.text }
  const activity = useQuery(ActivityDocument, vars, view.org, view.tick)
  const exceptions = useQuery(ExceptionsOverTimeDocument, vars, view.org, view.tick)
  const active = useQuery(
    ActiveUsersDocument,
    { filter: view.filter, windowMinutes: 15 },
    view.org,
    view.tick,
  )
  const hours = useQuery(
    WorkingTimeDocument,
    { filter: view.filter, groupBy: [], first: 1 },
    view.org,
    view.tick,
  )
  const groups = useQuery(
    ExceptionGroupsDocument,
    { filter: view.filter, first: 10, orderBy: 'COUNT' },
    view.org,
    view.tick,
  )
  return (
    <>
      <PageHeader title="Overview" filters={FILTERS} />
      <div class="grid">
        <Panel title="Events" span="quarter" query={activity}>
          {(d) => <Stat label="events" value={formatCount(total(d.activity.buckets))} />}
        </Panel>
        <Panel title="Active users now" span="quarter" query={active}>
          {(d) => (
            <Stat label="active-users" value={formatCount(d.activeUsers.count)}>
              with events in the last {d.activeUsers.windowMinutes} minutes
            </Stat>
          )}
        </Panel>
        <Panel title="Exceptions" span="quarter" query={exceptions}>
          {(d) => <Stat label="exceptions" value={formatCount(total(d.exceptionsOverTime.buckets))} />}
        </Panel>
        <Panel title="Working time" span="quarter" query={hours}>
          {(d) => <Stat label="working-time" value={formatHours(d.workingTime[0]?.hours ?? 0)} />}
        </Panel>
        <Panel title="Events over time" query={activity} empty={(d) => total(d.activity.buckets) === 0}>
          {(d) => (
            <TimeSeries
              label={`Events and distinct users per ${interval.text}`}
              times={d.activity.buckets.map((b) => Date.parse(b.time))}
              series={[
                { label: 'Events', values: d.activity.buckets.map((b) => b.count) },
                { label: 'Users', values: d.activity.buckets.map((b) => b.users), right: true },
              ]}
            />
          )}
        </Panel>
        <Panel
          title="Exceptions over time"
          span="half"
          query={exceptions}
          empty={(d) => total(d.exceptionsOverTime.buckets) === 0}
          emptyText="No exceptions in this range."
        >
          {(d) => (
            <TimeSeries
              label={`Exceptions per ${interval.text}`}
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
          title="Top exception groups"
          span="half"
          query={groups}
          empty={(d) => d.exceptionGroups.edges.length === 0}
          emptyText="No exceptions in this range."
        >
          {(d) => (
            <DataTable
              label="Top exception groups"
              rows={d.exceptionGroups.edges.map((e) => e.node)}
              rowKey={(g) => g.id}
              pageSize={10}
              columns={[
                {
                  key: 'title',
                  label: 'Error',
                  wide: true,
                  value: (g) => g.title,
                  render: (g) => (
                    <a href={pageLink('/exceptions', view.params, { group: g.id })}>{g.title}</a>
                  ),
                },
                {
                  key: 'count',
                  label: 'Count',
                  numeric: true,
                  value: (g) => g.count,
                  render: (g) => formatCount(g.count),
                },
                { key: 'users', label: 'Users', numeric: true, value: (g) => g.users },
                { key: 'last', label: 'Last seen', value: (g) => g.lastSeen, render: (g) => ago(g.lastSeen) },
              ]}
            />
          )}
        </Panel>
      </div>
    </>
  )
}
