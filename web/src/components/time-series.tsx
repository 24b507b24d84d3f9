import { useEffect, useRef } from 'preact/hooks'
import uPlot, { type AlignedData, type Options } from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { colorAt, formatCount } from './format'

export interface Series {
  readonly label: string
  readonly values: readonly (number | null)[]
  readonly color?: string
  /** On a scale of its own, on the right (a count of people beside a count of events). */
  readonly right?: boolean
}

/** Tick steps of counts: whole numbers only. */
const COUNT_STEPS = Array.from({ length: 10 }, (_, e) => [1, 2, 5].map((m) => m * 10 ** e)).flat()

interface TimeSeriesProps {
  /** Bucket starts, epoch ms, ascending. */
  readonly times: readonly number[]
  readonly series: readonly Series[]
  /** What the chart shows, for those who cannot see it (screen readers). */
  readonly label: string
  readonly height?: number
  /** Series stacked on one another (the exceptions by category per day). */
  readonly stacked?: boolean
  /** Bars rather than lines (daily counts). */
  readonly bars?: boolean
  readonly format?: (value: number) => string
  /** Whole-number ticks (counts). @default true */
  readonly integer?: boolean
  /** Dots at the values (series with gaps, few points). */
  readonly points?: boolean
}

/**
 * A time-series panel drawn by uPlot, the library Grafana's own time series use: lines (or bars),
 * a legend that follows the cursor, the width of its panel (it follows resizes).
 */
export function TimeSeries(props: TimeSeriesProps) {
  const host = useRef<HTMLDivElement>(null)
  const format = props.format ?? formatCount
  // Parents build their arrays afresh at every render: the chart is redrawn only when they differ.
  const signature = JSON.stringify([
    props.times,
    props.series,
    props.stacked,
    props.bars,
    props.height,
    props.points,
  ])
  useEffect(() => {
    const element = host.current
    if (!element) return
    const stackedValues = props.stacked ? stack(props.series) : props.series.map((s) => s.values)
    const data = [props.times.map((t) => t / 1000), ...stackedValues] as unknown as AlignedData
    const bars = props.bars ? uPlot.paths.bars?.({ size: [0.7, 60], align: 1 }) : undefined
    const right = props.series.some((s) => s.right)
    const integer = props.integer ?? true
    const options: Options = {
      width: Math.max(200, element.clientWidth),
      height: props.height ?? 220,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      scales: {
        x: { time: true },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.05)] },
        ...(right ? { r: { range: (_u, _min, max) => [0, Math.max(1, max * 1.05)] } } : {}),
      },
      axes: [
        { stroke: '#4a5563', grid: { stroke: '#e7eaf0' }, ticks: { stroke: '#e7eaf0' } },
        {
          stroke: '#4a5563',
          grid: { stroke: '#e7eaf0' },
          ticks: { stroke: '#e7eaf0' },
          size: 56,
          ...(integer ? { incrs: COUNT_STEPS } : {}),
          values: (_u, splits) => splits.map((v) => format(v)),
        },
        ...(right
          ? [
              {
                scale: 'r',
                side: 1,
                stroke: '#4a5563',
                grid: { show: false },
                size: 48,
                ...(integer ? { incrs: COUNT_STEPS } : {}),
                values: (_u: uPlot, splits: number[]) => splits.map((v) => format(v)),
              },
            ]
          : []),
      ],
      series: [
        {},
        ...props.series.map((s, i) => {
          const color = s.color ?? colorAt(i)
          // One line is filled below; several lines stay lines, so they can be told apart.
          const fill =
            props.bars || props.stacked ? `${color}cc` : props.series.length === 1 ? `${color}1a` : undefined
          return {
            label: s.label,
            stroke: color,
            width: props.bars ? 0 : 1.5,
            ...(s.right ? { scale: 'r' } : {}),
            ...(fill ? { fill } : {}),
            points: { show: props.points ?? false, size: 6 },
            spanGaps: false,
            // The legend shows each series' own value, not the stacked sum.
            value: (_u: uPlot, _v: number | null, _si: number, index: number | null) =>
              index === null ? '—' : format(props.series[i]?.values[index] ?? 0),
            ...(bars ? { paths: bars } : {}),
          }
        }),
      ],
      ...(props.stacked
        ? { bands: props.series.slice(1).map((_s, i) => ({ series: [i + 2, i + 1] as [number, number] })) }
        : {}),
    }
    const plot = new uPlot(options, data, element)
    const resize = new ResizeObserver(() => {
      const width = element.clientWidth
      if (width > 0 && Math.abs(width - plot.width) > 2) plot.setSize({ width, height: plot.height })
    })
    resize.observe(element)
    return () => {
      resize.disconnect()
      plot.destroy()
    }
  }, [signature])
  return <div class="chart" ref={host} role="img" aria-label={props.label} />
}

/** Cumulative sums, the last series on top: what a stacked chart draws. */
function stack(series: readonly Series[]): (number | null)[][] {
  const sums: (number | null)[][] = []
  let running: number[] = []
  for (const s of series) {
    running = s.values.map((v, i) => (v ?? 0) + (running[i] ?? 0))
    sums.push(running)
  }
  // uPlot draws in order; the bands fill each series down to the one below it.
  return sums
}
