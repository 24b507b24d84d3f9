import { useEffect, useState } from 'preact/hooks'
import { useQuery } from '../api/use-query'
import { formatDuration, who } from '../components/format'
import { PageHeader } from '../components/page-header'
import { Panel } from '../components/panel'
import { Code, DataTable } from '../components/table'
import { WebEventsDocument } from '../gql/graphql'
import { FILTERS, useView } from '../state/dashboard'
import { formatTime } from '../state/time'
import { useSearch } from '../state/url'

const ALL = FILTERS.map((f) => f.key)
const PAGE_SIZE = 50

/**
 * Every event the viewer may see, filtered (the variables, a request id) and paged by keyset:
 * each page is a URL (`after`), so Back returns to the page before.
 */
export function Events() {
  const view = useView(ALL)
  const [params, update] = useSearch()
  const request = params.get('request') ?? ''
  const after = params.get('after')
  const order = params.get('order') === 'asc' ? 'TIMESTAMP_ASC' : 'TIMESTAMP_DESC'
  const [requestInput, setRequestInput] = useState(request)
  useEffect(() => setRequestInput(request), [request])
  const filter = request ? { ...view.filter, requestIds: [request] } : view.filter
  const events = useQuery(
    WebEventsDocument,
    { filter, first: PAGE_SIZE, after, orderBy: order },
    view.org,
    view.tick,
  )
  const pageInfo = events.data?.events.pageInfo
  return (
    <>
      <PageHeader title="Events" filters={ALL}>
        <form
          class="request-filter"
          onSubmit={(e) => {
            e.preventDefault()
            update({ request: requestInput.trim(), after: null })
          }}
        >
          <label>
            <span class="variable-name">Request id</span>
            <input
              type="search"
              value={requestInput}
              placeholder="any"
              onInput={(e) => setRequestInput((e.target as HTMLInputElement).value)}
            />
          </label>
        </form>
      </PageHeader>
      <div class="grid">
        <Panel
          title={request ? `Events of request ${request}` : 'Events'}
          id="Events"
          query={events}
          empty={(d) => d.events.nodes.length === 0}
          actions={
            <label class="inline">
              Order{' '}
              <select
                value={order === 'TIMESTAMP_ASC' ? 'asc' : 'desc'}
                onChange={(e) =>
                  update({
                    order: (e.target as HTMLSelectElement).value === 'asc' ? 'asc' : null,
                    after: null,
                  })
                }
              >
                <option value="desc">newest first</option>
                <option value="asc">oldest first</option>
              </select>
            </label>
          }
        >
          {(d) => (
            <>
              <DataTable
                label="Events"
                sortable={false}
                pageSize={PAGE_SIZE}
                rows={d.events.nodes}
                rowKey={(e) => e.id}
                columns={[
                  { key: 'time', label: 'Time', render: (e) => formatTime(e.timestamp) },
                  { key: 'scope', label: 'Scope', render: (e) => e.scope },
                  { key: 'source', label: 'Source', render: (e) => e.source },
                  { key: 'user', label: 'User', render: (e) => who(e.userName, e.userId) },
                  { key: 'org', label: 'Organization', render: (e) => e.orgSlug ?? '—' },
                  { key: 'project', label: 'Project', render: (e) => e.projectId ?? '—' },
                  { key: 'task', label: 'Task', render: (e) => e.taskId ?? '—' },
                  { key: 'job', label: 'Job', render: (e) => e.jobId ?? '—' },
                  {
                    key: 'duration',
                    label: 'Duration',
                    numeric: true,
                    render: (e) => formatDuration(e.duration),
                  },
                  {
                    key: 'request',
                    label: 'Request',
                    render: (e) =>
                      e.requestId ? (
                        <button
                          type="button"
                          class="link mono"
                          title="Show this request's events"
                          onClick={() => update({ request: e.requestId, after: null })}
                        >
                          {e.requestId.slice(0, 8)}
                        </button>
                      ) : (
                        '—'
                      ),
                  },
                ]}
                details={(e) => (
                  <>
                    <p class="detail-label">
                      {e.objName ? `${e.objName} ${e.objId ?? ''} ${e.objVal ?? ''}` : 'Payload'}
                    </p>
                    <Code value={e.payload ?? null} />
                  </>
                )}
              />
              <nav class="pager" aria-label="Event pages">
                <button type="button" disabled={!after} onClick={() => update({ after: null })}>
                  First page
                </button>
                <button
                  type="button"
                  disabled={!pageInfo?.hasNextPage}
                  onClick={() => update({ after: pageInfo?.endCursor ?? null })}
                >
                  Next page
                </button>
              </nav>
            </>
          )}
        </Panel>
      </div>
    </>
  )
}
