import type { ComponentChildren } from 'preact'
import { useViewer, scopeOf } from '../state/viewer'
import type { FilterKey } from '../state/dashboard'
import { FilterBar } from './filter-bar'
import { TimePicker } from './time-picker'

/** A page's title, what the viewer's figures cover, its time range and its variables. */
export function PageHeader(props: {
  title: string
  filters?: readonly FilterKey[]
  time?: boolean
  /** The page's own default range, when the URL names none (CVAT's exceptions dashboard: 30 days). */
  defaultFrom?: string
  children?: ComponentChildren
}) {
  const viewer = useViewer()
  return (
    <header class="page-header">
      <div class="page-title">
        <h1>{props.title}</h1>
        <p class="scope" data-scope>
          Showing {scopeOf(viewer)}
        </p>
      </div>
      <div class="toolbar">
        {props.filters && props.filters.length > 0 && (
          <FilterBar keys={props.filters} defaultFrom={props.defaultFrom} />
        )}
        {props.children}
        {(props.time ?? true) && <TimePicker defaultFrom={props.defaultFrom} />}
      </div>
    </header>
  )
}
