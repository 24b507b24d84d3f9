const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 })
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 })
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 })

export const formatCount = (n: number): string =>
  Math.abs(n) >= 100_000 ? compact.format(n) : integer.format(n)
export const formatNumber = (n: number): string => decimal.format(n)
export const formatHours = (h: number): string => `${decimal.format(h)} h`

/** Milliseconds as people read a duration: `850 ms`, `4.2 s`, `3 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${integer.format(ms)} ms`
  if (ms < 60_000) return `${decimal.format(ms / 1000)} s`
  if (ms < 3_600_000) return `${decimal.format(ms / 60_000)} min`
  return `${decimal.format(ms / 3_600_000)} h`
}

/** A change in percent with its sign (`+12.5 %`), or an em dash when there is nothing to compare with. */
export function formatDelta(percent: number | null | undefined): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return '—'
  return `${percent > 0 ? '+' : ''}${decimal.format(percent)} %`
}

/** Who, as a person reads it: the name, else `user 42`. */
export const who = (name: string | null | undefined, id: string | null | undefined): string =>
  name || (id ? `user ${id}` : '—')

/** The ten colours of the charts (colour-blind friendly, readable on white). */
export const PALETTE = [
  '#1f6fd1',
  '#e8730c',
  '#2e9d4a',
  '#d6323a',
  '#8754c7',
  '#8c5a44',
  '#d4479f',
  '#5f6b7a',
  '#a39a00',
  '#0f9bb3',
] as const

export const colorAt = (i: number): string => PALETTE[i % PALETTE.length] ?? '#1f6fd1'
