import { servicePath } from '../api/base'
import { useQuery } from '../api/use-query'
import { formatCount, formatNumber, who } from '../components/format'
import { PageHeader } from '../components/page-header'
import { Panel } from '../components/panel'
import { Stat } from '../components/stat'
import { DataTable, type Column } from '../components/table'
import { WorkingTimeDocument, type WorkingTimeDimension, type WorkingTimeQuery } from '../gql/graphql'
import { useView } from '../state/dashboard'
import { listParam, useSearch } from '../state/url'

const FILTERS = ['users', 'projects', 'tasks', 'jobs'] as const
const DIMENSIONS: readonly { value: WorkingTimeDimension; param: string; label: string }[] = [
  { value: 'USER', param: 'user', label: 'User' },
  { value: 'PROJECT', param: 'project', label: 'Project' },
  { value: 'TASK', param: 'task', label: 'Task' },
  { value: 'JOB', param: 'job', label: 'Job' },
]
const CSV_PARAMS = { users: 'user_id', projects: 'project_id', tasks: 'task_id', jobs: 'job_id' } as const

type Row = WorkingTimeQuery['workingTime'][number]

/** Working time (CVAT's algorithm) by any of user, project, task and job, and the same as CSV. */
export function WorkingTime() {
  const view = useView(FILTERS)
  const [params, update] = useSearch()
  const chosen = listParam(params, 'group')
  const dims = DIMENSIONS.filter((d) => chosen.length === 0 || chosen.includes(d.param))
  const groupBy = dims.map((d) => d.value)
  const rows = useQuery(
    WorkingTimeDocument,
    { filter: view.filter, groupBy, first: 1000 },
    view.org,
    view.tick,
  )
  const csv = new URLSearchParams({ from: String(view.filter.from), to: String(view.filter.to) })
  csv.set('group_by', dims.map((d) => d.param).join(','))
  if (view.org) csv.set('org', view.org)
  for (const [key, param] of Object.entries(CSV_PARAMS)) {
    for (const value of listParam(params, key)) csv.append(param, value)
  }
  const columns: Column<Row>[] = [
    ...dims.map((d): Column<Row> => {
      switch (d.value) {
        case 'USER':
          return { key: 'user', label: 'User', value: (r) => who(r.userName, r.userId) }
        case 'PROJECT':
          return { key: 'project', label: 'Project', value: (r) => r.projectId ?? null }
        case 'TASK':
          return { key: 'task', label: 'Task', value: (r) => r.taskId ?? null }
        default:
          return { key: 'job', label: 'Job', value: (r) => r.jobId ?? null }
      }
    }),
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
  ]
  const totalHours = rows.data?.workingTime.reduce((sum, r) => sum + r.hours, 0) ?? 0
  return (
    <>
      <PageHeader title="Working time" filters={FILTERS}>
        <fieldset class="group-by">
          <legend class="variable-name">Group by</legend>
          {DIMENSIONS.map((d) => (
            <label key={d.param}>
              <input
                type="checkbox"
                checked={dims.includes(d)}
                onChange={() => {
                  const next = dims.includes(d) ? dims.filter((x) => x !== d) : [...dims, d]
                  // None chosen means all four, as the API's default.
                  update({
                    group: next.length === DIMENSIONS.length ? null : next.map((x) => x.param).join(','),
                  })
                }}
              />
              {d.label}
            </label>
          ))}
        </fieldset>
      </PageHeader>
      <div class="grid">
        <Panel title="Total" span="quarter" query={rows}>
          {() => <Stat label="hours" value={`${formatNumber(totalHours)} h`} />}
        </Panel>
        <Panel title="Actions" span="quarter" query={rows}>
          {(d) => (
            <Stat label="actions" value={formatCount(d.workingTime.reduce((sum, r) => sum + r.actions, 0))} />
          )}
        </Panel>
        <Panel title="People" span="quarter" query={rows}>
          {(d) => (
            <Stat
              label="people"
              value={
                dims.some((x) => x.value === 'USER')
                  ? formatCount(new Set(d.workingTime.map((r) => r.userId)).size)
                  : '—'
              }
            />
          )}
        </Panel>
        <Panel title="Jobs" span="quarter" query={rows}>
          {(d) => (
            <Stat
              label="jobs"
              value={
                dims.some((x) => x.value === 'JOB')
                  ? formatCount(new Set(d.workingTime.filter((r) => r.jobId).map((r) => r.jobId)).size)
                  : '—'
              }
            />
          )}
        </Panel>
        <Panel
          title="Working time"
          span="full"
          query={rows}
          empty={(d) => d.workingTime.length === 0}
          actions={
            <a class="button" href={`${servicePath('/api/working-time.csv')}?${csv.toString()}`} download>
              Download CSV
            </a>
          }
        >
          {(d) => (
            <DataTable
              label={`Working time by ${dims.map((x) => x.label.toLowerCase()).join(', ')}`}
              rows={d.workingTime}
              rowKey={(r, i) => `${r.userId}-${r.projectId}-${r.taskId}-${r.jobId}-${i}`}
              columns={columns}
            />
          )}
        </Panel>
      </div>
    </>
  )
}
