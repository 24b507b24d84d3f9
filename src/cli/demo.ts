#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { AccountChangeError } from '../auth/account-admin.js'
import { randomPassword } from '../auth/passwords.js'
import { ConfigError, loadConfig } from '../config.js'
import {
  chooseSize,
  createHttpSink,
  DEFAULT_DAYS,
  DEFAULT_USERS,
  DemoSendError,
  formatJobTruth,
  formatTruth,
  historyWindow,
  prepareDemoAccounts,
  revokeDemoToken,
  runSimulation,
  simulate,
  type Simulation,
} from '../demo/index.js'
import type { Speed } from '../demo/pacer.js'
import { createProgress, duration } from '../demo/progress.js'
import { requireService, ServiceCheckError, waitForAccounts } from '../demo/service-check.js'
import { DAY } from '../demo/calendar.js'

const USAGE = `Fill a running service with a simulated annotation team: organizations, projects, tasks and
jobs; annotators, supervisors and owners working their days (CVAT's client batches every ~90 s of
simulated time, and CVAT's server events), all through the public ingest API.

  npm run demo -- [options]

  --users N         people in the simulated world (>= 3)                 default ${DEFAULT_USERS}
  --days D          days of history ending at --end                      default ${DEFAULT_DAYS} (realtime: 1)
  --events N        target number of stored events: sets the days (with --days: the team size)
  --seed S          same seed and options, same events                   default demo
  --end ISO         end of the simulated history                         default now
  --speed S         max (as fast as possible); realtime (live from now on, event times are the
                    real time, and every office's clock is set so that now is Monday mid-morning
                    there: the team is at work at once); or a factor (replay the history that
                    many times faster than real time, e.g. 3600: an hour a second)  default max
  --url URL         the service                                          default http://localhost:$PORT
  --logger-url URL  CVAT's server events go to this CVAT-logger listener, as CVAT's server
                    posts them (off: POST /api/events/server with a token)
                                              default http://$CVAT_LOGGER_HOST:$CVAT_LOGGER_PORT/ when set
  --password P      password of the demo accounts                       default a random one, printed
  --concurrency C   requests in flight (CVAT's batches are small: many in flight fill the
                    service's group commit)                              default 128
  --print-truth     print what the simulator did, per user and job (working time by the model and
                    by CVAT's rule; objects created by hand, imported and by model runs; updated,
                    deleted; undo, redo) and per job (hours in each stage, rejections, acceptance,
                    working time per stage)
  --json            print the truth as JSON ({ people: [...], jobs: [...] }) instead of tables
  --dry-run         simulate and print counts; send nothing, change no accounts
  -h, --help        this text

The demo writes its accounts (usernames like amara.k, ids from 1001, organizations from 101) and
a temporary ingest token into the accounts file (ACCOUNTS_FILE, default DATA_DIR/accounts.json):
run it on the machine of the service, with the same environment as 'npm start'. Re-running keeps
existing accounts; events are added again on every run.`

const OPTIONS = {
  users: { type: 'string' },
  days: { type: 'string' },
  events: { type: 'string' },
  seed: { type: 'string', default: 'demo' },
  end: { type: 'string' },
  speed: { type: 'string', default: 'max' },
  url: { type: 'string' },
  'logger-url': { type: 'string' },
  password: { type: 'string' },
  concurrency: { type: 'string', default: '128' },
  'print-truth': { type: 'boolean' },
  json: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

class UsageError extends Error {}

const err = (text: string) => process.stderr.write(`${text}\n`)

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const config = loadConfig(process.env)
  const speed = parseSpeed(values.speed)
  const realtime = speed === 1 && values.speed === 'realtime'
  if (realtime && values.end !== undefined)
    throw new UsageError('--end is for history; --speed realtime starts now')
  const users = optionalNumber(values.users, '--users', true)
  const days = optionalNumber(values.days, '--days', false)
  const events = optionalNumber(values.events, '--events', true)
  const concurrency = optionalNumber(values.concurrency, '--concurrency', true) ?? 128
  const endMs = values.end === undefined ? Date.now() : parseEnd(values.end)

  const simulation = realtime
    ? simulate({
        seed: values.seed,
        users: users ?? DEFAULT_USERS,
        window: liveWindow(days ?? 1),
        mondayMorningAtStart: true,
      })
    : sized(values.seed, endMs, users, days, events)
  describe(simulation, speed)

  if (values['dry-run']) {
    const startedAt = Date.now()
    for (const _ of simulation.sends());
    err(
      `simulated ${simulation.stats.storedRows.toLocaleString('en-US')} events in ${duration(Date.now() - startedAt)} (nothing sent)`,
    )
    printCounts(simulation)
    printTruth(simulation, values['print-truth'], values.json)
    return
  }

  const url = (values.url ?? `http://localhost:${config.port}`).replace(/\/+$/, '')
  const fetchFn = (request: Request) => fetch(request)
  await requireService(url, fetchFn)
  const password = values.password ?? randomPassword()
  const accounts = await prepareDemoAccounts(config.accountsFile, simulation.world, password)
  const controller = new AbortController()
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130)
    err('\nstopping: sending what is in flight (Ctrl-C again to quit at once)')
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  try {
    const { added } = accounts
    err(
      `accounts added: ${count(added.users, 'user')}, ${count(added.organizations, 'organization')}, ` +
        `${count(added.memberships, 'membership')}; ${count(accounts.passwordsChanged, 'password')} set (file ${config.accountsFile})`,
    )
    const first = simulation.world.people[0]
    if (first)
      await waitForAccounts(url, fetchFn, { person: first, password, ingestToken: accounts.ingestToken })
    const loggerUrl = values['logger-url'] ?? defaultLoggerUrl(config.cvatLoggerHost, config.cvatLoggerPort)
    err(
      loggerUrl === undefined
        ? 'server events: POST /api/events/server (set CVAT_LOGGER_PORT or --logger-url to send them as CVAT does)'
        : `server events: to the CVAT-logger listener at ${loggerUrl}, as CVAT's server sends them`,
    )
    const progress = createProgress({
      tty: process.stderr.isTTY,
      write: (text) => process.stderr.write(text),
    })
    const waits = new Map<string, number>()
    const sink = createHttpSink({
      url,
      password,
      ingestToken: accounts.ingestToken,
      ...(loggerUrl === undefined ? {} : { loggerUrl }),
      concurrency,
      fetch: fetchFn,
      onWait: (wait) => {
        const cause = wait.cause === 'connection' ? 'no answer' : String(wait.cause)
        waits.set(cause, (waits.get(cause) ?? 0) + 1)
        progress.waiting(wait)
      },
    })
    const summary = await runSimulation(simulation, { sink, speed, progress, signal: controller.signal })
    err(
      `${summary.stopped ? 'stopped after' : 'sent'} ${summary.events.toLocaleString('en-US')} events in ${summary.requests.toLocaleString('en-US')} requests, ` +
        `${duration(summary.elapsedMs)} (${Math.round(summary.eventsPerSecond).toLocaleString('en-US')} events/s) to ${url}` +
        describeWaits(waits),
    )
    printCounts(simulation)
    err(
      `\nSign in as any demo user with password ${values.password === undefined ? `${password} (shown once)` : 'given with --password'}, e.g.:\n` +
        simulation.world.organizations
          .map((o) => `  ${o.members.map((m) => `${m.username} (${m.orgRole})`).join(', ')} in '${o.slug}'`)
          .join('\n'),
    )
    printTruth(simulation, values['print-truth'], values.json)
  } finally {
    process.off('SIGINT', onSignal)
    await revokeDemoToken(config.accountsFile, accounts.ingestTokenId)
  }
}

/** `; waited when the service asked, 3 times (429: 2, 503: 1)`, or nothing. */
function describeWaits(waits: ReadonlyMap<string, number>): string {
  const total = [...waits.values()].reduce((a, b) => a + b, 0)
  if (total === 0) return ''
  const causes = [...waits].map(([cause, n]) => `${cause}: ${n}`).join(', ')
  return `; paused ${count(total, 'time')} (${causes}) where the service asked to wait`
}

/** The listener of the service's own environment, when it runs one. */
function defaultLoggerUrl(host: string, port: number | undefined): string | undefined {
  if (port === undefined) return undefined
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host
  return `http://${reachable.includes(':') && !reachable.startsWith('[') ? `[${reachable}]` : reachable}:${port}/`
}

function sized(
  seed: string,
  endMs: number,
  users: number | undefined,
  days: number | undefined,
  events: number | undefined,
): Simulation {
  const size = chooseSize({ seed, endMs, ...defined({ users, days, events }) })
  return simulate({ seed, users: size.users, window: historyWindow(endMs, size.days) })
}

/** Real time from now on: the window starts at the current minute. */
function liveWindow(days: number) {
  const startMs = Date.now()
  return { startMs, endMs: startMs + Math.round(days * DAY) }
}

function describe(simulation: Simulation, speed: Speed): void {
  const { world, plan, window } = simulation
  const days = (window.endMs - window.startMs) / DAY
  err(
    `simulating ${world.people.length} people in ${count(world.organizations.length, 'organization')} ` +
      `(${world.organizations.map((o) => o.slug).join(', ')}), ${count(plan.projects.length, 'project')}, ` +
      `${count(plan.tasks.length, 'task')}, ${count(plan.jobs.length, 'job')}, over ${count(Number(days.toFixed(2)), 'day')} from ${new Date(window.startMs).toISOString()} ` +
      `to ${new Date(window.endMs).toISOString()}, seed '${world.seed}', speed ${speed === 'max' ? 'max' : speed === 1 ? 'realtime' : `${speed}x`}`,
  )
}

function printCounts(simulation: Simulation): void {
  const { stats } = simulation
  err(
    `${stats.clientBatches.toLocaleString('en-US')} client batches (${stats.heartbeats.toLocaleString('en-US')} heartbeats, not stored), ` +
      `${stats.serverRequests.toLocaleString('en-US')} server requests; stored events by scope:`,
  )
  err(
    stats
      .scopes()
      .map(([scope, n]) => `  ${scope.padEnd(20)} ${n.toLocaleString('en-US').padStart(12)}`)
      .join('\n'),
  )
}

function printTruth(simulation: Simulation, wanted: boolean | undefined, json: boolean | undefined): void {
  if (!wanted) return
  const people = simulation.truth.rows()
  const jobs = simulation.truth.jobs(simulation.window.endMs)
  console.log(
    json ? JSON.stringify({ people, jobs }, null, 2) : `\n${formatTruth(people)}\n\n${formatJobTruth(jobs)}`,
  )
}

/** `1 day`, `2 days`. */
function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`
}

function parseSpeed(value: string): Speed {
  if (value === 'max') return 'max'
  if (value === 'realtime') return 1
  const factor = Number(value)
  if (!Number.isFinite(factor) || factor <= 0) {
    throw new UsageError(`--speed must be max, realtime or a positive factor, got '${value}'`)
  }
  return factor
}

function optionalNumber(value: string | undefined, name: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value.replace(/_/g, ''))
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${name} must be a positive ${integer ? 'integer' : 'number'}, got '${value}'`)
  }
  return n
}

function parseEnd(value: string): number {
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw new UsageError(`--end must be an ISO-8601 time, got '${value}'`)
  return ms
}

function defined<T extends Record<string, number | undefined>>(values: T): { [K in keyof T]?: number } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: number
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const expected =
    error instanceof UsageError ||
    error instanceof ConfigError ||
    error instanceof AccountChangeError ||
    error instanceof ServiceCheckError ||
    error instanceof DemoSendError ||
    error instanceof RangeError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  err(`\n${expected ? (error as Error).message : String((error as Error).stack ?? error)}`)
  if (error instanceof UsageError) err(`\n${USAGE}`)
  process.exit(1)
})
