import { useEffect, useState } from 'preact/hooks'
import { servicePath } from '../api/base'
import { ApiError, runOperation } from '../api/client'
import { useQuery } from '../api/use-query'
import { formatCount } from '../components/format'
import { PageHeader } from '../components/page-header'
import { ErrorState } from '../components/states'
import {
  ExportStatusDocument,
  StartExportDocument,
  type ExportFormat,
  type ExportStatusQuery,
} from '../gql/graphql'
import { FILTERS, useView } from '../state/dashboard'
import { formatTime } from '../state/time'
import { useSearch } from '../state/url'
import { useViewer } from '../state/viewer'

const ALL = FILTERS.map((f) => f.key)
const POLL_MS = 1000
const KEEP = 10

/** The exports this browser started, newest first (the API answers each one's status to its owner only). */
function remembered(userId: string): string[] {
  try {
    const list = JSON.parse(localStorage.getItem(`aa-exports:${userId}`) ?? '[]') as unknown
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

function remember(userId: string, queryId: string): void {
  const list = [queryId, ...remembered(userId).filter((id) => id !== queryId)].slice(0, KEEP)
  localStorage.setItem(`aa-exports:${userId}`, JSON.stringify(list))
}

const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`

/** Exports of the events in view to a file: start one, follow it, download it. */
export function Exports() {
  const view = useView(ALL)
  const viewer = useViewer()
  const [params, update] = useSearch()
  const [format, setFormat] = useState<ExportFormat>('CSV')
  const [includeExceptions, setIncludeExceptions] = useState(false)
  const [filename, setFilename] = useState('')
  const [starting, setStarting] = useState(false)
  const [failure, setFailure] = useState<ApiError | null>(null)
  const [list, setList] = useState(() => remembered(viewer.userId))
  const following = params.get('export')
  return (
    <>
      <PageHeader title="Exports" filters={ALL} />
      <div class="grid">
        <section class="panel span-half" aria-labelledby="start-export">
          <header class="panel-header">
            <h2 id="start-export">Start an export</h2>
          </header>
          <form
            class="export-form"
            onSubmit={(e) => {
              e.preventDefault()
              setStarting(true)
              setFailure(null)
              runOperation(
                StartExportDocument,
                { filter: view.filter, format, includeExceptions, filename: filename.trim() || null },
                { org: view.org },
              ).then(
                (d) => {
                  setStarting(false)
                  remember(viewer.userId, d.startExport.queryId)
                  setList(remembered(viewer.userId))
                  update({ export: d.startExport.queryId })
                },
                (error: unknown) => {
                  setStarting(false)
                  setFailure(
                    error instanceof ApiError ? error : new ApiError(String(error), 'ERROR', 0, null),
                  )
                },
              )
            }}
          >
            <p class="muted">
              The events of the time range and filters above, in the file format you choose. The file is kept{' '}
              for a day after it is written.
            </p>
            <label>
              Format
              <select
                value={format}
                onChange={(e) => setFormat((e.target as HTMLSelectElement).value as ExportFormat)}
              >
                <option value="CSV">CSV (CVAT's columns)</option>
                <option value="JSONL">JSON lines</option>
              </select>
            </label>
            <label class="check">
              <input
                type="checkbox"
                checked={includeExceptions}
                onChange={(e) => setIncludeExceptions((e.target as HTMLInputElement).checked)}
              />
              Include exceptions (CVAT leaves them out)
            </label>
            <label>
              File name (optional)
              <input
                value={filename}
                placeholder="logs.csv"
                onInput={(e) => setFilename((e.target as HTMLInputElement).value)}
              />
            </label>
            {failure && <ErrorState error={failure} compact />}
            <button type="submit" class="primary" disabled={starting}>
              {starting ? 'Starting…' : 'Start export'}
            </button>
          </form>
        </section>
        <section
          class="panel span-half"
          aria-labelledby="your-exports"
          data-panel="Your exports"
          data-ready="true"
        >
          <header class="panel-header">
            <h2 id="your-exports">Your exports</h2>
          </header>
          {list.length === 0 ? (
            <p class="muted">None started from this browser yet.</p>
          ) : (
            <ul class="exports">
              {list.map((id) => (
                <ExportItem
                  key={id}
                  queryId={id}
                  org={view.org}
                  open={id === following}
                  onOpen={() => update({ export: id })}
                />
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  )
}

type ExportState = ExportStatusQuery['export']

/** One export: polled every second while queued or running, then its file's link. */
function ExportItem(props: { queryId: string; org: string | null; open: boolean; onOpen: () => void }) {
  const [tick, setTick] = useState(0)
  const status = useQuery(ExportStatusDocument, { queryId: props.queryId }, props.org, tick)
  const data = status.data?.export
  const active = data?.status === 'QUEUED' || data?.status === 'RUNNING'
  useEffect(() => {
    if (!active) return
    const timer = setTimeout(() => setTick((t) => t + 1), POLL_MS)
    return () => clearTimeout(timer)
  }, [active, tick])
  return (
    <li
      class={`export${props.open ? ' open' : ''}`}
      data-export={props.queryId}
      data-status={data?.status ?? ''}
    >
      {status.error ? (
        <p class="muted">
          Export {props.queryId.slice(0, 8)}:{' '}
          {status.error.code === 'NOT_FOUND' ? 'expired, or started by someone else' : status.error.message}
        </p>
      ) : !data ? (
        <p class="muted">Export {props.queryId.slice(0, 8)}…</p>
      ) : (
        <ExportDetails export={data} onOpen={props.onOpen} />
      )}
    </li>
  )
}

function ExportDetails({ export: e, onOpen }: { export: ExportState; onOpen: () => void }) {
  const planned = e.rowsPlanned ?? 0
  const progress = planned > 0 ? Math.min(1, e.rowsWritten / planned) : e.status === 'DONE' ? 1 : 0
  return (
    <>
      <p class="export-head">
        <button type="button" class="link" onClick={onOpen}>
          {e.filename ?? `${e.format.toLowerCase()} export`}
        </button>
        <span class={`badge status-${e.status.toLowerCase()}`}>{e.status.toLowerCase()}</span>
      </p>
      <p class="muted small">
        {e.from ? formatTime(e.from) : 'from the first event'} – {formatTime(e.to)} · started{' '}
        {formatTime(e.createdAt)}
      </p>
      {(e.status === 'RUNNING' || e.status === 'QUEUED' || e.status === 'DONE') && (
        <div class="progress">
          <progress max={1} value={progress} aria-label="Rows written" />
          <span class="small">
            {formatCount(e.rowsWritten)}
            {e.rowsPlanned !== null && e.rowsPlanned !== undefined
              ? ` of ${formatCount(e.rowsPlanned)}`
              : ''}{' '}
            rows · {formatBytes(e.bytesWritten)}
          </span>
        </div>
      )}
      {e.status === 'DONE' && e.downloadUrl && (
        <p>
          <a
            class="button primary"
            href={e.downloadUrl.startsWith('/') ? servicePath(e.downloadUrl) : e.downloadUrl}
            download
          >
            Download
          </a>{' '}
          {e.expiresAt && <span class="muted small">until {formatTime(e.expiresAt)}</span>}
        </p>
      )}
      {e.status === 'FAILED' && <p class="form-error">{e.error ?? 'The export failed.'}</p>}
      {e.status === 'EXPIRED' && <p class="muted">The file was deleted; start the export again.</p>}
    </>
  )
}
