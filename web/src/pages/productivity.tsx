import { useQuery } from '../api/use-query'
import { BarList } from '../components/bars'
import { formatCount, formatNumber, who } from '../components/format'
import { PageHeader } from '../components/page-header'
import { Panel } from '../components/panel'
import { DataTable } from '../components/table'
import { TimeSeries } from '../components/time-series'
import { IdleGapsDocument, JobFlowDocument, ProductivityDocument } from '../gql/graphql'
import { useView } from '../state/dashboard'
import { formatTime } from '../state/time'
import { useSearch } from '../state/url'

const FILTERS = ['users', 'projects', 'tasks', 'jobs'] as const
/** Idle cutoffs offered (seconds); 100 is CVAT's, the stored working time. */
const CUTOFFS = [30, 60, 100, 300, 900] as const
const DAY_MS = 86_400_000
/** Past this range, objects per hour are per week rather than per day. */
const WEEKLY_AFTER_MS = 60 * DAY_MS

const hours = (h: number | null | undefined) => (h === null || h === undefined ? '—' : formatNumber(h))

/**
 * Who produces what, how fast, and where time goes: the leaderboard (objects per working hour),
 * objects per hour over time, jobs through annotation, validation and acceptance, and the
 * histogram of idle gaps that explains low working time.
 */
export function Productivity() {
  const view = useView(FILTERS)
  const [params, update] = useSearch()
  const asked = Number(params.get('idle') ?? 100)
  const idleSeconds = (CUTOFFS as readonly number[]).includes(asked) ? asked : 100
  const weekly = view.range.to - view.range.from > WEEKLY_AFTER_MS
  const leaderboard = useQuery(
    ProductivityDocument,
    { filter: view.filter, groupBy: ['USER'], idleSeconds, first: 200 },
    view.org,
    view.tick,
  )
  const overTime = useQuery(
    ProductivityDocument,
    { filter: view.filter, groupBy: ['USER', weekly ? 'WEEK' : 'DAY'], idleSeconds, first: 1000 },
    view.org,
    view.tick,
  )
  const flow = useQuery(JobFlowDocument, { filter: view.filter, first: 200 }, view.org, view.tick)
  const gaps = useQuery(IdleGapsDocument, { filter: view.filter, groupBy: [], first: 1 }, view.org, view.tick)
  return (
    <>
      <PageHeader title="Productivity" filters={FILTERS}>
        <label class="inline-variable">
          <span class="variable-name">Idle cutoff</span>
          <select
            value={String(idleSeconds)}
            onChange={(e) => {
              const value = (e.target as HTMLSelectElement).value
              update({ idle: value === '100' ? null : value })
            }}
          >
            {CUTOFFS.map((s) => (
              <option key={s} value={s}>
                {s} s{s === 100 ? " (CVAT's)" : ''}
              </option>
            ))}
          </select>
        </label>
      </PageHeader>
      <div class="grid">
        <Panel
          title="Leaderboard"
          query={leaderboard}
          empty={(d) => d.productivity.length === 0}
          description="Objects people drew by hand per hour of working time, with what else they did."
        >
          {(d) => (
            <DataTable
              label="Objects per hour per person"
              rows={d.productivity}
              rowKey={(r, i) => `${r.userId}-${i}`}
              columns={[
                { key: 'user', label: 'User', value: (r) => who(r.userName, r.userId) },
                {
                  key: 'rate',
                  label: 'Objects per hour',
                  numeric: true,
                  value: (r) => r.objectsPerHour ?? null,
                  render: (r) => hours(r.objectsPerHour),
                },
                {
                  key: 'manual',
                  label: 'Drawn',
                  numeric: true,
                  value: (r) => r.manualObjectsCreated,
                  render: (r) => formatCount(r.manualObjectsCreated),
                },
                { key: 'imported', label: 'Imported', numeric: true, value: (r) => r.importedObjectsCreated },
                {
                  key: 'automatic',
                  label: 'Automatic',
                  numeric: true,
                  value: (r) => r.automaticObjectsCreated,
                },
                {
                  key: 'updated',
                  label: 'Updated',
                  numeric: true,
                  value: (r) => r.objectsUpdated,
                  render: (r) => formatCount(r.objectsUpdated),
                },
                { key: 'deleted', label: 'Deleted', numeric: true, value: (r) => r.objectsDeleted },
                {
                  key: 'hours',
                  label: 'Working hours',
                  numeric: true,
                  value: (r) => r.workingHours,
                  render: (r) => hours(r.workingHours),
                },
                {
                  key: 'undo',
                  label: 'Undo / redo',
                  numeric: true,
                  value: (r) => r.undo + r.redo,
                  render: (r) => `${r.undo} / ${r.redo}`,
                },
                {
                  key: 'rework',
                  label: 'Rework',
                  numeric: true,
                  value: (r) => r.reworkRatio ?? null,
                  render: (r) => hours(r.reworkRatio),
                },
              ]}
            />
          )}
        </Panel>
        <Panel
          title={`Objects per hour, per ${weekly ? 'week' : 'day'}`}
          id="Objects per hour"
          query={overTime}
          empty={(d) => d.productivity.every((r) => !r.objectsPerHour)}
        >
          {(d) => {
            const periods = periodsOf(view.range.from, view.range.to, weekly)
            const people = new Map<string, { label: string; byPeriod: Map<number, number> }>()
            for (const r of d.productivity) {
              if (!r.period) continue
              const key = r.userId ?? ''
              const person = people.get(key) ?? { label: who(r.userName, r.userId), byPeriod: new Map() }
              person.byPeriod.set(Date.parse(r.period), r.objectsPerHour ?? 0)
              people.set(key, person)
            }
            return (
              <TimeSeries
                label="Objects drawn per working hour, one line per person"
                times={periods}
                integer={false}
                points
                format={formatNumber}
                series={[...people.values()].map((p) => ({
                  label: p.label,
                  values: periods.map((t) => p.byPeriod.get(t) ?? null),
                }))}
              />
            )
          }}
        </Panel>
        <Panel
          title="Idle gaps"
          span="half"
          query={gaps}
          empty={(d) => (d.idleGaps[0]?.buckets ?? []).every((b) => b.gaps === 0)}
          description="Gaps between a person's consecutive actions: long ones count no working time."
        >
          {(d) => {
            const row = d.idleGaps[0]
            return (
              <>
                <BarList
                  label="Gaps between consecutive actions, by length"
                  items={(row?.buckets ?? []).map((b) => ({
                    label: b.label,
                    value: b.gaps,
                    note: `${formatNumber(b.hours)} h`,
                  }))}
                />
                <p class="muted small">
                  Working time at idle cutoffs:{' '}
                  {(row?.workingHoursAt ?? [])
                    .map((w) => `${w.idleSeconds} s → ${formatNumber(w.hours)} h`)
                    .join(' · ')}
                </p>
              </>
            )
          }}
        </Panel>
        <Panel
          title="Job flow"
          span="half"
          query={flow}
          empty={(d) => d.jobFlow.length === 0}
          emptyText="No job changed stage, state or assignee in this range."
        >
          {(d) => (
            <DataTable
              label="Jobs through annotation, validation and acceptance"
              rows={d.jobFlow}
              rowKey={(j) => j.jobId}
              pageSize={15}
              columns={[
                { key: 'job', label: 'Job', value: (j) => Number(j.jobId), render: (j) => j.jobId },
                { key: 'stage', label: 'Stage', value: (j) => `${j.stage ?? '—'} · ${j.state ?? '—'}` },
                {
                  key: 'annotation',
                  label: 'Annotation h',
                  numeric: true,
                  value: (j) => j.hoursIn.annotation,
                  render: (j) => hours(j.hoursIn.annotation),
                },
                {
                  key: 'validation',
                  label: 'Validation h',
                  numeric: true,
                  value: (j) => j.hoursIn.validation,
                  render: (j) => hours(j.hoursIn.validation),
                },
                { key: 'rejections', label: 'Rejections', numeric: true, value: (j) => j.rejections },
                {
                  key: 'accepted',
                  label: 'Accepted',
                  value: (j) => j.acceptedAt ?? null,
                  render: (j) => (j.acceptedAt ? formatTime(j.acceptedAt) : '—'),
                },
              ]}
            />
          )}
        </Panel>
      </div>
    </>
  )
}

/** Starts of the days (UTC) or ISO weeks (Monday, UTC) the range touches: the API's periods. */
function periodsOf(from: number, to: number, weekly: boolean): number[] {
  const day = Math.floor(from / DAY_MS)
  // 1970-01-01 was a Thursday: Monday is three days before the next multiple of 7 days.
  const first = weekly ? day - ((day + 3) % 7) : day
  const step = weekly ? 7 : 1
  const starts: number[] = []
  for (let d = first; d * DAY_MS <= to; d += step) starts.push(d * DAY_MS)
  return starts
}
