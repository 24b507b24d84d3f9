import { format } from 'node:util'
import type { Logger } from './logger.js'

type Level = 'debug' | 'info' | 'warn' | 'error'

/** What each console method prints at. */
const CONSOLE_LEVELS: Readonly<Record<string, Level>> = {
  debug: 'debug',
  trace: 'debug',
  log: 'info',
  info: 'info',
  dir: 'info',
  table: 'info',
  warn: 'warn',
  error: 'error',
}

/**
 * Makes every line the service process writes a JSON log line: what libraries print through the
 * console (`[useResponseCache] …`, `[ioredis] …`) and Node's process warnings (deprecations,
 * listener leaks) go through `log`, marked with their `source`, instead of as plain text on
 * stdout and stderr. For the service's process (main.ts) only: tests and tools keep their console.
 */
export function routeProcessOutput(log: Logger): void {
  const console_ = console as unknown as Record<string, unknown>
  for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
    console_[method] = (...args: unknown[]) => log[level](format(...args), { source: 'console' })
  }
  console_.assert = (condition: unknown, ...args: unknown[]) => {
    if (!condition) log.error(format('Assertion failed', ...args), { source: 'console' })
  }
  // Node prints warnings through its own 'warning' listener; ours replaces it.
  process.removeAllListeners('warning')
  process.on('warning', (warning) => {
    const { code } = warning as { code?: string }
    log.warn(`${warning.name}: ${warning.message}`, { source: 'process', ...(code ? { code } : {}) })
  })
}
