import type { ComponentChildren } from 'preact'

/** A single figure, large (Grafana's stat panel), with an optional line under it. */
export function Stat(props: {
  value: string
  label?: string
  children?: ComponentChildren
  tone?: 'up' | 'down' | 'neutral'
}) {
  return (
    <div class="stat">
      <p class="stat-value" data-stat={props.label}>
        {props.value}
      </p>
      {props.children && <p class={`stat-note tone-${props.tone ?? 'neutral'}`}>{props.children}</p>}
    </div>
  )
}
