import type { ComponentChildren } from 'preact'
import { useId } from 'preact/hooks'
import type { QueryState } from '../api/use-query'
import { EmptyState, ErrorState, Loading } from './states'

interface PanelProps<R> {
  readonly title: string
  /** The panel's query: loading, failed, empty or ready. */
  readonly query?: QueryState<R>
  /** Whether the answer has nothing to show. */
  readonly empty?: (data: R) => boolean
  readonly emptyText?: string
  readonly actions?: ComponentChildren
  readonly description?: string
  /** Grid width: 'full', 'half', 'third', 'quarter'. */
  readonly span?: 'full' | 'half' | 'third' | 'quarter' | 'two-thirds' | 'three-quarters'
  readonly children: (data: R) => ComponentChildren
  readonly id?: string
}

/** One dashboard panel, as Grafana draws them: a title, and the figure or what stands in its way. */
export function Panel<R>(props: PanelProps<R>) {
  const headingId = useId()
  const { query } = props
  let body: ComponentChildren
  if (query?.error) body = <ErrorState error={query.error} compact />
  else if (!query || query.data === undefined) body = <Loading />
  else if (props.empty?.(query.data)) body = <EmptyState>{props.emptyText}</EmptyState>
  else body = props.children(query.data)
  const ready = query?.data !== undefined && !query.loading && !query.error
  return (
    <section
      class={`panel span-${props.span ?? 'full'}`}
      aria-labelledby={headingId}
      data-panel={props.id ?? props.title}
      data-ready={ready ? 'true' : 'false'}
      aria-busy={query?.loading ? 'true' : 'false'}
    >
      <header class="panel-header">
        <h2 id={headingId}>{props.title}</h2>
        {props.actions && <div class="panel-actions">{props.actions}</div>}
      </header>
      {props.description && <p class="panel-description">{props.description}</p>}
      <div class="panel-body">{body}</div>
    </section>
  )
}
