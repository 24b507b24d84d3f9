import { createPacer, type Speed } from './pacer.js'
import type { Progress } from './progress.js'
import type { Simulation } from './simulation.js'
import type { DemoSink } from './sink.js'

export interface RunOptions {
  readonly sink: DemoSink
  /** @default 'max' */
  readonly speed?: Speed
  readonly progress?: Progress
  /** Stops the run early (Ctrl-C): what was taken is still drained. */
  readonly signal?: AbortSignal
}

export interface RunSummary {
  /** Rows the store holds for what was sent (client events without heartbeats, working time, server rows). */
  readonly events: number
  readonly requests: number
  readonly elapsedMs: number
  readonly eventsPerSecond: number
  /** True when the signal stopped the run before the end of the window. */
  readonly stopped: boolean
}

/** Drives a simulation into a sink, paced as asked, reporting progress; resolves once all is stored. */
export async function runSimulation(simulation: Simulation, options: RunOptions): Promise<RunSummary> {
  const { sink, progress, signal } = options
  const { startMs, endMs } = simulation.window
  const pacer = createPacer(options.speed ?? 'max', startMs, Date.now, signal)
  const startedAt = Date.now()
  let events = 0
  let requests = 0
  let simulatedMs = startMs
  let stopped = false
  const report = () => ({
    fraction: (simulatedMs - startMs) / (endMs - startMs),
    events,
    simulatedMs,
    pacedRemainingMs: pacer.remainingMs(endMs),
  })

  for (const { send, storedRows } of simulation.sends()) {
    const wait = pacer.until(send.atMs)
    if (wait) await wait.catch(() => undefined)
    if (signal?.aborted) {
      stopped = true
      break
    }
    await sink.send(send)
    events += storedRows
    requests++
    simulatedMs = send.atMs
    progress?.update(report())
  }
  await sink.drain()
  const elapsedMs = Date.now() - startedAt
  if (!stopped) simulatedMs = endMs
  progress?.finish(report())
  return { events, requests, elapsedMs, eventsPerSecond: (events * 1000) / Math.max(1, elapsedMs), stopped }
}
