import { buildApp, type App } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { createLogger, type Logger } from './observability/logger.js'
import { StartupError } from './lifecycle/startup-error.js'

// Whatever the embedded engine and the libraries write (files we do not open ourselves) is private
// too; the files and directories we create set their modes explicitly (src/files/private-files.ts).
process.umask(0o077)

/**
 * The process: configuration, start, signals. Every reason not to start is one log line naming
 * the cause and the fix (the detail at `debug`), never a stack trace; a stop is bounded by
 * SHUTDOWN_TIMEOUT_MS, after which the process exits anyway.
 */
let config: Config
try {
  config = loadConfig(process.env)
} catch (error) {
  const log = createLogger('info')
  if (error instanceof ConfigError) log.error(`invalid configuration: ${error.problems.join('; ')}`)
  else fail(log, error)
  process.exit(1)
}

const log = createLogger(config.logLevel)
let app: App | undefined
try {
  app = await buildApp(config, { log })
  const { url } = await app.start()
  console.log(`annotation-analytics is serving on ${url} (dashboards: ${url}/, GraphiQL: ${url}/graphql)`)
} catch (error) {
  fail(log, error)
  await app?.stop().catch(() => {})
  process.exit(1)
}

let stopping = false
const stop = (signal: string) => {
  if (stopping) {
    log.warn(`${signal} again: exiting now (the spool keeps what was acknowledged)`)
    process.exit(1)
  }
  stopping = true
  log.info(`${signal}: stopping`, { withinMs: config.shutdownTimeoutMs })
  // The stop bounds each of its steps; this is the backstop should one of them hang anyway.
  setTimeout(() => {
    log.error(`stop took longer than SHUTDOWN_TIMEOUT_MS (${config.shutdownTimeoutMs} ms); exiting`)
    process.exit(1)
  }, config.shutdownTimeoutMs + 1_000).unref()
  app?.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      log.error('stop failed', { error })
      process.exit(1)
    },
  )
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))

/** One line for an operator; what a developer wants on top goes to `debug`. */
function fail(log: Logger, error: unknown): void {
  if (error instanceof StartupError) {
    if (error.detail !== undefined) log.debug('start-up failure detail', { error: error.detail })
    log.error(error.message)
    return
  }
  log.debug('start-up failure detail', { error })
  const message = error instanceof Error ? error.message.split('\n', 1)[0] : String(error)
  log.error(`could not start: ${message}`)
}
