import { useCallback, useRef, useState } from 'preact/hooks'
import { useSubscription } from '../api/live'
import { useQuery } from '../api/use-query'
import { formatCount, who } from '../components/format'
import { pageLink } from '../components/links'
import { PageHeader } from '../components/page-header'
import { Panel } from '../components/panel'
import { Code, DataTable } from '../components/table'
import {
  ExceptionGroupsDocument,
  LiveExceptionsDocument,
  WebExceptionsDocument,
  type LiveExceptionsSubscription,
} from '../gql/graphql'
import { useView } from '../state/dashboard'
import { ago, formatClock, formatTime } from '../state/time'
import { useSearch } from '../state/url'

const FILTERS = ['users', 'projects', 'tasks', 'jobs', 'sources'] as const
const LIVE_KEEP = 50

type LiveException = LiveExceptionsSubscription['exceptions']

/** An hour either side of an error: where the events of its request are. */
const AROUND_MS = 3_600_000

/**
 * Errors as they happen and by kind: a live tail over graphql-ws, the groups with how often and
 * whom they hit, and a group's occurrences, each leading to the events of its request.
 */
export function Exceptions() {
  const view = useView(FILTERS)
  const [params, update] = useSearch()
  const [order, setOrder] = useState<'COUNT' | 'LAST_SEEN'>('COUNT')
  const [received, setReceived] = useState<LiveException[]>([])
  const [bump, setBump] = useState(0)
  const lastBump = useRef(0)
  const group = params.get('group')
  // The tail takes the filters but not the range: it shows what comes from now on.
  const { from: _from, to: _to, ...liveFilter } = view.filter
  const onNext = useCallback((data: LiveExceptionsSubscription) => {
    setReceived((list) => [data.exceptions, ...list].slice(0, LIVE_KEEP))
    // The groups' counts follow, at most every few seconds.
    const now = Date.now()
    if (now - lastBump.current > 3000) {
      lastBump.current = now
      setBump((b) => b + 1)
    }
  }, [])
  const live = useSubscription(LiveExceptionsDocument, { filter: liveFilter }, view.org, onNext)
  const groups = useQuery(
    ExceptionGroupsDocument,
    { filter: view.filter, first: 100, orderBy: order },
    view.org,
    view.tick + bump * 1000,
  )
  const occurrences = useQuery(
    WebExceptionsDocument,
    group ? { filter: { ...view.filter, exceptionGroups: [group] }, first: 200 } : null,
    view.org,
    view.tick + bump * 1000,
  )
  const chosen = groups.data?.exceptionGroups.edges.find((e) => e.node.id === group)?.node
  const requestLink = (requestId: string, at: string) =>
    pageLink('/events', params, {
      request: requestId,
      from: new Date(Date.parse(at) - AROUND_MS).toISOString(),
      to: new Date(Date.parse(at) + AROUND_MS).toISOString(),
      scopes: null,
      users: null,
      projects: null,
      tasks: null,
      jobs: null,
      sources: null,
      group: null,
    })
  return (
    <>
      <PageHeader title="Exceptions" filters={FILTERS} />
      <div class="grid">
        <section
          class="panel span-full live"
          aria-labelledby="live-title"
          data-panel="Live exceptions"
          data-ready="true"
        >
          <header class="panel-header">
            <h2 id="live-title">Live exceptions</h2>
            <p class={`live-status status-${live.status}`} role="status" data-live={live.status}>
              <span class="dot" aria-hidden="true" />
              {live.status === 'live'
                ? 'Live: new exceptions appear here as they are stored'
                : live.status === 'ended'
                  ? `Stopped${live.error ? `: ${live.error}` : ''}`
                  : live.status === 'reconnecting'
                    ? 'Reconnecting…'
                    : 'Connecting…'}
            </p>
          </header>
          {received.length === 0 ? (
            <p class="muted live-empty">No new exceptions since this page opened.</p>
          ) : (
            <ol class="live-list" aria-label="Exceptions received" aria-live="polite">
              {received.map((e) => (
                <li key={e.id} class="live-item" data-live-exception={e.id}>
                  <time dateTime={e.timestamp}>{formatClock(e.timestamp)}</time>
                  <span class={`badge source-${e.source}`}>{e.source}</span>
                  <span class="live-user">{who(e.userName, e.userId)}</span>
                  <span class="live-message">{e.message ?? '(no message)'}</span>
                  <a href={pageLink('/exceptions', params, { group: e.groupId })}>group</a>
                  {e.event.requestId && <a href={requestLink(e.event.requestId, e.timestamp)}>request</a>}
                </li>
              ))}
            </ol>
          )}
        </section>
        <Panel
          title="Exception groups"
          query={groups}
          empty={(d) => d.exceptionGroups.edges.length === 0}
          emptyText="No exceptions in this range."
          actions={
            <label class="inline">
              Order by{' '}
              <select
                value={order}
                onChange={(e) => setOrder((e.target as HTMLSelectElement).value as typeof order)}
              >
                <option value="COUNT">count</option>
                <option value="LAST_SEEN">last seen</option>
              </select>
            </label>
          }
        >
          {(d) => (
            <DataTable
              label="Exception groups"
              sortable={false}
              rows={d.exceptionGroups.edges.map((e) => e.node)}
              rowKey={(g) => g.id}
              columns={[
                {
                  key: 'title',
                  label: 'Error',
                  wide: true,
                  render: (g) => (
                    <a
                      href={pageLink('/exceptions', params, { group: g.id })}
                      aria-current={g.id === group ? 'true' : undefined}
                      onClick={(e) => {
                        e.preventDefault()
                        update({ group: g.id })
                      }}
                    >
                      {g.title}
                    </a>
                  ),
                },
                { key: 'where', label: 'Where', wide: true, render: (g) => g.topFrame ?? '—' },
                { key: 'sources', label: 'Source', render: (g) => g.sources.join(', ') },
                { key: 'count', label: 'Count', numeric: true, render: (g) => formatCount(g.count) },
                { key: 'users', label: 'Users', numeric: true, render: (g) => formatCount(g.users) },
                { key: 'jobs', label: 'Jobs', numeric: true, render: (g) => formatCount(g.jobs) },
                { key: 'first', label: 'First seen', render: (g) => formatTime(g.firstSeen) },
                {
                  key: 'last',
                  label: 'Last seen',
                  render: (g) => <span title={formatTime(g.lastSeen)}>{ago(g.lastSeen)}</span>,
                },
              ]}
            />
          )}
        </Panel>
        {group && (
          <Panel
            title={`Occurrences: ${chosen?.title ?? `group ${group}`}`}
            id="Occurrences"
            query={occurrences}
            empty={(d) => d.exceptions.nodes.length === 0}
            emptyText="This group has no occurrences in this range and these filters."
            actions={
              <button type="button" class="link" onClick={() => update({ group: null })}>
                Close
              </button>
            }
          >
            {(d) => (
              <DataTable
                label="Occurrences of the group"
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
                  { key: 'job', label: 'Job', value: (e) => e.jobId ?? null },
                  { key: 'message', label: 'Message', wide: true, value: (e) => e.message ?? null },
                  {
                    key: 'request',
                    label: 'Request',
                    render: (e) =>
                      e.event.requestId ? (
                        <a href={requestLink(e.event.requestId, e.timestamp)} title={e.event.requestId}>
                          events of the request
                        </a>
                      ) : (
                        '—'
                      ),
                  },
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
        )}
      </div>
    </>
  )
}
