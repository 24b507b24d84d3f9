import { useContext, useEffect, useRef, useState } from 'preact/hooks'
import { RefreshContext, useView } from '../state/dashboard'
import { describeRange, QUICK_RANGES, toLocalInput } from '../state/time'
import { useSearch } from '../state/url'

const REFRESH_CHOICES = [
  { value: '', label: 'Off' },
  { value: '30s', label: '30 s' },
  { value: '1m', label: '1 min' },
  { value: '5m', label: '5 min' },
] as const

/** The time range (quick ranges or two ends), the refresh button and auto-refresh, as in Grafana. */
export function TimePicker({ defaultFrom }: { defaultFrom?: string | undefined }) {
  const view = useView([], defaultFrom)
  const [params, update] = useSearch()
  const { refresh } = useContext(RefreshContext)
  const [open, setOpen] = useState(false)
  const [from, setFrom] = useState(toLocalInput(view.range.from))
  const [to, setTo] = useState(toLocalInput(view.range.to))
  const root = useRef<HTMLDivElement>(null)
  useEffect(() => {
    setFrom(toLocalInput(view.range.from))
    setTo(toLocalInput(view.range.to))
  }, [view.range.from, view.range.to, open])
  useEffect(() => {
    if (!open) return
    const close = (event: Event) => {
      if (
        event instanceof KeyboardEvent
          ? event.key === 'Escape'
          : !root.current?.contains(event.target as Node)
      ) {
        setOpen(false)
      }
    }
    document.addEventListener('mousedown', close)
    document.addEventListener('keydown', close)
    return () => {
      document.removeEventListener('mousedown', close)
      document.removeEventListener('keydown', close)
    }
  }, [open])
  const choose = (changes: Record<string, string | null>) => {
    update({ ...changes, after: null })
    setOpen(false)
  }
  return (
    <div class="time" ref={root}>
      <button type="button" class="variable" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span class="variable-name">Time</span>
        <span class="variable-value" data-range>
          {describeRange(view.range)}
        </span>
      </button>
      {open && (
        <div class="popover time-popover" role="group" aria-label="Time range">
          <form
            class="absolute"
            onSubmit={(e) => {
              e.preventDefault()
              const fromMs = Date.parse(from)
              const toMs = Date.parse(to)
              if (Number.isFinite(fromMs) && Number.isFinite(toMs) && fromMs < toMs) {
                choose({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() })
              }
            }}
          >
            <label>
              From
              <input
                type="datetime-local"
                value={from}
                onInput={(e) => setFrom((e.target as HTMLInputElement).value)}
              />
            </label>
            <label>
              To
              <input
                type="datetime-local"
                value={to}
                onInput={(e) => setTo((e.target as HTMLInputElement).value)}
              />
            </label>
            <button type="submit" class="primary">
              Apply
            </button>
          </form>
          <ul class="quick">
            {QUICK_RANGES.map((q) => (
              <li key={q.from}>
                <button
                  type="button"
                  aria-current={
                    view.range.fromText === q.from && view.range.toText === 'now' ? 'true' : undefined
                  }
                  onClick={() => choose({ from: q.from, to: 'now' })}
                >
                  {q.label}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <button type="button" class="refresh" onClick={refresh} title="Refresh now">
        <span aria-hidden="true">⟳</span> Refresh
      </button>
      <label class="auto-refresh">
        <span class="visually-hidden">Auto refresh</span>
        <select
          value={params.get('refresh') ?? ''}
          onChange={(e) => update({ refresh: (e.target as HTMLSelectElement).value }, { replace: true })}
        >
          {REFRESH_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.value ? `Every ${c.label}` : 'Auto refresh off'}
            </option>
          ))}
        </select>
      </label>
    </div>
  )
}
