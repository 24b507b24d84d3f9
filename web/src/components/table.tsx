import type { ComponentChildren } from 'preact'
import { useMemo, useState } from 'preact/hooks'

export interface Column<T> {
  readonly key: string
  readonly label: string
  /** The cell; defaults to the sort value as text. */
  readonly render?: (row: T) => ComponentChildren
  /** What the column sorts by (and shows, without `render`). */
  readonly value?: (row: T) => string | number | null
  readonly numeric?: boolean
  /** Long text: wrapped and clipped to a few lines. */
  readonly wide?: boolean
}

interface TableProps<T> {
  readonly columns: readonly Column<T>[]
  readonly rows: readonly T[]
  readonly rowKey: (row: T, index: number) => string
  /** Rows per page (the table pages through the rest). */
  readonly pageSize?: number
  readonly label: string
  /** A row's details, shown under it once opened (payload, stack). */
  readonly details?: (row: T) => ComponentChildren
  /** Sorting by a header: on unless the order is the data's own (keyset pages). */
  readonly sortable?: boolean
}

/**
 * A table panel: sortable by any column (click its header), paged, with details a row can open.
 */
export function DataTable<T>(props: TableProps<T>) {
  const pageSize = props.pageSize ?? 25
  const [sort, setSort] = useState<{ key: string; descending: boolean } | null>(null)
  const [page, setPage] = useState(0)
  const [open, setOpen] = useState<string | null>(null)
  const sorted = useMemo(() => {
    const column = sort && props.columns.find((c) => c.key === sort.key)
    if (!sort || !column?.value) return props.rows
    const value = column.value
    return [...props.rows].sort((a, b) => {
      const x = value(a)
      const y = value(b)
      const order = x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? -1 : 1
      return sort.descending ? -order : order
    })
  }, [props.rows, props.columns, sort])
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize))
  const current = Math.min(page, pages - 1)
  const shown = sorted.slice(current * pageSize, (current + 1) * pageSize)
  const sortable = props.sortable ?? true
  return (
    <div class="table-wrap">
      <table class="data">
        <caption class="visually-hidden">{props.label}</caption>
        <thead>
          <tr>
            {props.details && (
              <th scope="col">
                <span class="visually-hidden">Details</span>
              </th>
            )}
            {props.columns.map((c) => {
              const active = sort?.key === c.key
              const ariaSort = active ? (sort.descending ? 'descending' : 'ascending') : undefined
              return (
                <th key={c.key} scope="col" class={c.numeric ? 'num' : undefined} aria-sort={ariaSort}>
                  {sortable && c.value ? (
                    <button
                      type="button"
                      class="sort"
                      onClick={() => {
                        setSort({ key: c.key, descending: active ? !sort.descending : Boolean(c.numeric) })
                        setPage(0)
                      }}
                    >
                      {c.label}
                      <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              )
            })}
          </tr>
        </thead>
        <tbody>
          {shown.map((row, i) => {
            const key = props.rowKey(row, current * pageSize + i)
            const expanded = open === key
            return [
              <tr key={key} class={expanded ? 'open' : undefined}>
                {props.details && (
                  <td class="toggle">
                    <button
                      type="button"
                      class="icon"
                      aria-expanded={expanded}
                      aria-label={expanded ? 'Hide details' : 'Show details'}
                      onClick={() => setOpen(expanded ? null : key)}
                    >
                      {expanded ? '−' : '+'}
                    </button>
                  </td>
                )}
                {props.columns.map((c) => (
                  <td
                    key={c.key}
                    class={[c.numeric ? 'num' : '', c.wide ? 'wide' : ''].join(' ').trim() || undefined}
                  >
                    {c.render ? c.render(row) : String(c.value?.(row) ?? '—')}
                  </td>
                ))}
              </tr>,
              expanded && props.details ? (
                <tr key={`${key}-details`} class="details">
                  <td colSpan={props.columns.length + 1}>{props.details(row)}</td>
                </tr>
              ) : null,
            ]
          })}
        </tbody>
      </table>
      {pages > 1 && (
        <nav class="pager" aria-label={`${props.label}: pages`}>
          <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
            Previous
          </button>
          <span>
            {current * pageSize + 1}–{Math.min(sorted.length, (current + 1) * pageSize)} of {sorted.length}
          </span>
          <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Next
          </button>
        </nav>
      )}
    </div>
  )
}

/** JSON as a block people can read (payloads, stacks). */
export function Code({ value }: { value: unknown }) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2)
  return <pre class="code">{text}</pre>
}
