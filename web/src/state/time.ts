/** Grafana's relative times: `now`, `now-15m`, `now-7d`; or absolute (ISO-8601 or epoch ms). */
const RELATIVE = /^now(?:-(\d+)([smhdw]))?$/
const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
}

export const DEFAULT_FROM = 'now-7d'
export const DEFAULT_TO = 'now'

/** The ranges of the picker, as Grafana offers them. */
export const QUICK_RANGES: readonly { from: string; label: string }[] = [
  { from: 'now-15m', label: 'Last 15 minutes' },
  { from: 'now-1h', label: 'Last hour' },
  { from: 'now-6h', label: 'Last 6 hours' },
  { from: 'now-24h', label: 'Last 24 hours' },
  { from: 'now-2d', label: 'Last 2 days' },
  { from: 'now-7d', label: 'Last 7 days' },
  { from: 'now-30d', label: 'Last 30 days' },
  { from: 'now-90d', label: 'Last 90 days' },
]

/** Epoch ms of a time expression at `nowMs`, or null when it is not one. */
export function resolveTime(expression: string, nowMs: number): number | null {
  const relative = RELATIVE.exec(expression)
  if (relative) {
    const [, amount, unit] = relative
    return amount && unit ? nowMs - Number(amount) * (UNIT_MS[unit] ?? 0) : nowMs
  }
  if (/^\d{10,14}$/.test(expression)) return Number(expression)
  const parsed = Date.parse(expression)
  return Number.isNaN(parsed) ? null : parsed
}

export interface ResolvedRange {
  readonly from: number
  readonly to: number
  /** The expressions, as the URL has them. */
  readonly fromText: string
  readonly toText: string
  /** Whether `to` follows the clock (a refresh moves the range). */
  readonly live: boolean
}

/** Both ends at `nowMs`; bad or reversed expressions fall back to the default range. */
export function resolveRange(fromText: string, toText: string, nowMs: number): ResolvedRange {
  const from = resolveTime(fromText, nowMs)
  const to = resolveTime(toText, nowMs)
  if (from === null || to === null || from >= to) {
    return resolveRange(DEFAULT_FROM, DEFAULT_TO, nowMs)
  }
  return { from, to, fromText, toText, live: toText.startsWith('now') }
}

/** The label of a range: the quick range's name, else its two ends. */
export function describeRange(range: ResolvedRange): string {
  const quick = range.toText === 'now' && QUICK_RANGES.find((q) => q.from === range.fromText)
  if (quick) return quick.label
  return `${formatTime(range.from)} – ${formatTime(range.to)}`
}

/** Bucket widths a chart may use, finest first (what the API's `interval` takes). */
const INTERVALS: readonly [string, number][] = [
  ['30s', 30_000],
  ['1m', 60_000],
  ['5m', 300_000],
  ['10m', 600_000],
  ['15m', 900_000],
  ['30m', 1_800_000],
  ['1h', 3_600_000],
  ['3h', 10_800_000],
  ['6h', 21_600_000],
  ['12h', 43_200_000],
  ['1d', 86_400_000],
  ['7d', 604_800_000],
]

/**
 * Grafana's `$__interval`: the finest width that gives at most `points` buckets over the range,
 * and at least `minMs` (a panel's min interval, such as Monitoring's 15 minutes).
 */
export function autoInterval(rangeMs: number, points = 150, minMs = 0): { text: string; ms: number } {
  for (const [text, ms] of INTERVALS) {
    if (ms >= minMs && rangeMs / ms <= points) return { text, ms }
  }
  const [text, ms] = INTERVALS[INTERVALS.length - 1] ?? ['1d', 86_400_000]
  return { text, ms }
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })

/** A moment as people read it, in the browser's time zone. */
export function formatTime(ms: number | string): string {
  return dateTime.format(typeof ms === 'string' ? Date.parse(ms) : ms)
}

export function formatClock(ms: number | string): string {
  return timeOnly.format(typeof ms === 'string' ? Date.parse(ms) : ms)
}

/** `2026-11-25T10:00` for an `<input type="datetime-local">`, in the browser's time zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000)
  return d.toISOString().slice(0, 16)
}

/** How long ago, roughly (`3 min ago`). */
export function ago(ms: number | string, nowMs = Date.now()): string {
  const seconds = Math.max(0, Math.round((nowMs - (typeof ms === 'string' ? Date.parse(ms) : ms)) / 1000))
  if (seconds < 60) return `${seconds} s ago`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`
  return `${Math.round(seconds / 86_400)} d ago`
}
