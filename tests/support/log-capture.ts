import { createLogger, type Logger } from '../../src/observability/logger.js'

export interface LogLine {
  readonly level: string
  readonly message: string
  readonly [field: string]: unknown
}

/** A logger that keeps its lines (parsed) for assertions. */
export function captureLog(level: 'debug' | 'info' | 'warn' | 'error' = 'info'): {
  log: Logger
  lines: LogLine[]
} {
  const lines: LogLine[] = []
  const log = createLogger(level, (line) => lines.push(JSON.parse(line) as LogLine))
  return { log, lines }
}
