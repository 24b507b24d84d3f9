import { useEffect, useId, useRef, useState } from 'preact/hooks'

export interface Option {
  readonly value: string
  readonly label: string
}

interface MultiSelectProps {
  readonly label: string
  readonly options: readonly Option[]
  /** The chosen values; none means All (no constraint). */
  readonly selected: readonly string[]
  readonly onChange: (values: string[]) => void
  /** Told when the list opens (the options may be asked for then). */
  readonly onOpen?: () => void
  /** The options are on their way. */
  readonly loading?: boolean
}

/**
 * A dashboard variable with "All": a button that opens a list of checkboxes, with a search for
 * long lists. Chosen values that are not among the options (outside the range) stay listed.
 */
export function MultiSelect(props: MultiSelectProps) {
  const [open, setOpen] = useState(false)
  const [search, setSearch] = useState('')
  const root = useRef<HTMLDivElement>(null)
  const listId = useId()
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
  const known = new Set(props.options.map((o) => o.value))
  const options = [
    ...props.options,
    ...props.selected.filter((v) => !known.has(v)).map((v) => ({ value: v, label: v })),
  ]
  const needle = search.trim().toLowerCase()
  const shown = needle ? options.filter((o) => o.label.toLowerCase().includes(needle)) : options
  const summary =
    props.selected.length === 0
      ? 'All'
      : props.selected.length === 1
        ? (options.find((o) => o.value === props.selected[0])?.label ?? props.selected[0])
        : `${props.selected.length} selected`
  const toggle = (value: string) =>
    props.onChange(
      props.selected.includes(value) ? props.selected.filter((v) => v !== value) : [...props.selected, value],
    )
  return (
    <div class="multi" ref={root}>
      <button
        type="button"
        class={`variable${props.selected.length > 0 ? ' active' : ''}`}
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => {
          if (!open) props.onOpen?.()
          setOpen(!open)
        }}
      >
        <span class="variable-name">{props.label}</span>
        <span class="variable-value">{summary}</span>
      </button>
      {open && (
        <div class="popover" id={listId} role="group" aria-label={props.label}>
          {options.length > 8 && (
            <input
              type="search"
              placeholder={`Search ${props.label.toLowerCase()}`}
              aria-label={`Search ${props.label.toLowerCase()}`}
              value={search}
              onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
            />
          )}
          <label class="option">
            <input
              type="checkbox"
              checked={props.selected.length === 0}
              onChange={() => props.onChange([])}
            />
            All
          </label>
          <div class="options">
            {shown.map((o) => (
              <label key={o.value} class="option">
                <input
                  type="checkbox"
                  checked={props.selected.includes(o.value)}
                  onChange={() => toggle(o.value)}
                />
                {o.label}
              </label>
            ))}
            {shown.length === 0 && <p class="muted">{props.loading ? 'Loading…' : 'Nothing matches.'}</p>}
          </div>
        </div>
      )}
    </div>
  )
}
