import { formatCount } from './format'

export interface BarItem {
  readonly label: string
  readonly value: number
  /** A second figure shown beside the first (the previous period, a share). */
  readonly note?: string
  readonly href?: string
}

/**
 * Horizontal bars (Grafana's bar chart turned on its side): each item's label, its bar scaled to
 * the largest, and its figure in text, so the list reads without the picture.
 */
export function BarList(props: { items: readonly BarItem[]; label: string; format?: (v: number) => string }) {
  const max = Math.max(1, ...props.items.map((item) => item.value))
  const format = props.format ?? formatCount
  return (
    <ul class="bars" aria-label={props.label}>
      {props.items.map((item) => (
        <li key={item.label}>
          <span class="bar-label">{item.href ? <a href={item.href}>{item.label}</a> : item.label}</span>
          <span class="bar-track" aria-hidden="true">
            <span class="bar-fill" style={{ width: `${(item.value / max) * 100}%` }} />
          </span>
          <span class="bar-value">
            {format(item.value)}
            {item.note && <span class="bar-note"> {item.note}</span>}
          </span>
        </li>
      ))}
    </ul>
  )
}
