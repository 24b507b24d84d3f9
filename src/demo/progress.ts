import type { SinkWait } from './retry.js'

/**
 * Progress of a run. On a terminal: one line rewritten in place (bar, events stored so far,
 * events/s, ETA). Otherwise (CI, a pipe, a log file): a plain line every few seconds.
 */
export interface ProgressReport {
  /** Share of the simulated window done, 0–1. */
  readonly fraction: number
  /** Rows the store holds for the sends so far. */
  readonly events: number
  /** Simulated time reached. */
  readonly simulatedMs: number
  /** Wall milliseconds still to wait when paced (0 at full speed). */
  readonly pacedRemainingMs: number
}

export interface Progress {
  update(report: ProgressReport): void
  /** The service asked to wait (or did not answer): said at once, and in the line while it lasts. */
  waiting(wait: SinkWait): void
  /** Clears the live line and prints the final one. */
  finish(report: ProgressReport): void
}

export interface ProgressOptions {
  readonly tty: boolean
  readonly write: (text: string) => void
  readonly now?: () => number
  /** Between plain lines. @default 5000 */
  readonly plainIntervalMs?: number
}

const BAR_WIDTH = 24
const TTY_INTERVAL_MS = 200

export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now
  const startedAt = now()
  const interval = options.tty ? TTY_INTERVAL_MS : (options.plainIntervalMs ?? 5_000)
  let lastShown = startedAt
  let last: ProgressReport | undefined
  let wait: SinkWait | undefined
  /** On a terminal, the line counts a pause down while no sends move it. */
  let ticker: NodeJS.Timeout | undefined

  /** `, waiting 42 s: 429 on POST /api/events/server: more than …` while a pause lasts. */
  const waitText = () => {
    if (wait === undefined) return ''
    const leftMs = wait.untilMs - now()
    if (leftMs <= 0) return ''
    return `, waiting ${Math.ceil(leftMs / 1000)} s: ${describeWait(wait)}`
  }

  const describe = (r: ProgressReport) => {
    const elapsedMs = Math.max(1, now() - startedAt)
    const rate = (r.events * 1000) / elapsedMs
    const eta =
      r.pacedRemainingMs > 0
        ? r.pacedRemainingMs
        : r.fraction > 0
          ? (elapsedMs * (1 - r.fraction)) / r.fraction
          : Number.NaN
    const percent = `${Math.floor(r.fraction * 100)}%`.padStart(4)
    return `${percent} ${r.events.toLocaleString('en-US')} events, ${Math.round(rate).toLocaleString('en-US')} events/s, ETA ${duration(eta)}, at ${new Date(r.simulatedMs).toISOString().slice(0, 16)}Z${waitText()}`
  }
  const bar = (fraction: number) => {
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH)
    return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`
  }

  const show = (report: ProgressReport) => {
    if (options.tty) options.write(`\r\x1b[2K${bar(report.fraction)} ${describe(report)}`)
    else options.write(`${describe(report)}\n`)
  }

  return {
    update(report) {
      last = report
      const t = now()
      if (t - lastShown < interval) return
      lastShown = t
      show(report)
    },
    waiting(next) {
      // One line per pause: a pause that starts while another lasts only extends it.
      const ongoing = wait !== undefined && wait.untilMs > now()
      if (!ongoing || next.untilMs > (wait?.untilMs ?? 0)) wait = next
      if (ongoing && !options.tty) return
      const showWait = () => {
        lastShown = now()
        if (last !== undefined) show(last)
        else if (options.tty) options.write(`\r\x1b[2K${waitText().slice(2)}`)
        else options.write(`${waitText().slice(2)}\n`)
      }
      showWait()
      if (options.tty && ticker === undefined) {
        ticker = setInterval(() => {
          if (wait !== undefined && wait.untilMs > now()) return showWait()
          clearInterval(ticker)
          ticker = undefined
        }, 1_000).unref()
      }
    },
    finish(report) {
      clearInterval(ticker)
      wait = undefined
      const line = describe(report).replace(/, ETA [^,]+/, '')
      options.write(options.tty ? `\r\x1b[2K${bar(report.fraction)} ${line}\n` : `${line}\n`)
    },
  }
}

/** `1:02:03`, `4:05`, or `?` when unknown. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?'
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m)
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`
}

/** `429 on POST /api/events/server: more than 12000 …` or `no answer to POST …: fetch failed (…)`. */
export function describeWait(wait: SinkWait): string {
  return wait.cause === 'connection'
    ? `no answer to ${wait.request}: ${wait.reason}`
    : `${wait.cause} on ${wait.request}: ${wait.reason}`
}
