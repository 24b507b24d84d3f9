import { buildApp, type App } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { createLogger, type Logger } from './observability/logger.js'
import { routeProcessOutput } from './observability/process-output.js'
import { StartupError } from './lifecycle/startup-error.js'

// Whatever the embedded engine and the libraries write (files we do not open ourselves) is private
// too; the files and directories we create set their modes explicitly (src/files/private-files.ts).
process.umask(0o077)

/**
 * The process: configuration, start, signals. Every reason not to start is one log line naming
 * the cause and the fix (the detail at `debug`), never a stack trace; a stop is bounded by
 * SHUTDOWN_TIMEOUT_MS, after which the process exits anyway. Everything the process writes is a
 * JSON line: the log on stderr, the address it serves on on stdout.
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
routeProcessOutput(log)
let app: App | undefined
let stopping = false
// Errors nothing awaited: reported as any other unexpected error (logged, counted, stored once the
// app is built); an exception that reached the top of the stack also stops the service.
process.on('unhandledRejection', (reason) => {
  if (app) app.services.report(reason, { where: 'process' })
  else log.error('unexpected error', { where: 'process', error: reason })
})
process.on('uncaughtException', (error) => {
  if (app) app.services.report(error, { where: 'process' })
  else log.error('unexpected error', { where: 'process', error })
  if (app) stop('uncaught exception', 1)
  else process.exit(1)
})
try {
  app = await buildApp(config, { log })
  const { url } = await app.start()
  createLogger('info', (line) => process.stdout.write(line)).info(
    `annotation-analytics is serving on ${url} (dashboards: ${url}/, GraphiQL: ${url}/graphql)`,
    { url, dashboards: `${url}/`, graphiql: `${url}/graphql` },
  )
} catch (error) {
  fail(log, error)
  await app?.stop().catch(() => {})
  process.exit(1)
}

function stop(signal: string, exitCode = 0) {
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
    () => process.exit(exitCode),
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
