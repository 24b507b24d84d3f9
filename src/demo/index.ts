import type { Store } from '../store/index.js'
import { DAY, MINUTE } from './calendar.js'
import type { Progress } from './progress.js'
import { runSimulation, type RunSummary } from './run.js'
import { simulate, type Simulation } from './simulation.js'
import { chooseSize, historyWindow } from './size.js'
import { createStoreSink } from './store-sink.js'

/**
 * The simulator as a library, for tests and benchmarks. `simulate` gives the sends and the truth;
 * `generateIntoStore` fills a store with them without HTTP; `createHttpSink` + `runSimulation`
 * drive a running service as `npm run demo` does.
 */
export { simulate, type Simulation, type SimulationOptions, type SimulatedSend } from './simulation.js'
export { runSimulation, type RunOptions, type RunSummary } from './run.js'
export { createHttpSink, DemoSendError, type HttpSinkOptions, type FetchFunction } from './http-sink.js'
export { createStoreSink, identityOf, type StoreSinkOptions } from './store-sink.js'
export { prepareDemoAccounts, revokeDemoToken, DEMO_TOKEN_NAME, type DemoAccounts } from './accounts.js'
export {
  chooseSize,
  historyWindow,
  DEFAULT_DAYS,
  DEFAULT_USERS,
  type Size,
  type SizeRequest,
} from './size.js'
export { formatJobTruth, formatTruth } from './truth-table.js'
export type { TruthRow } from './truth.js'
export type { JobTruth } from './job-truth.js'
export type { DemoSend, ClientSend, ServerSend, SimEvent } from './sends.js'
export type { DemoSink } from './sink.js'
export type { DemoWorld, DemoPerson, DemoOrganization } from './world.js'
export type { DemoPlan, DemoJob, DemoTask, DemoProject, Window } from './plan.js'

export interface GenerateOptions {
  /** @default 'demo' */
  readonly seed?: string
  /** @default 12 (DEFAULT_USERS) */
  readonly users?: number
  /** Days of history; @default 7, or what `events` needs. */
  readonly days?: number
  /** Target number of stored events (within a few percent); sets the days, or the users when `days` is given. */
  readonly events?: number
  /** End of the simulated window. @default now */
  readonly endMs?: number
  /** Rows per insert. @default 50000 */
  readonly blockRows?: number
  /**
   * Copies of the simulated window the engine adds before it (INSERT … SELECT, several times the
   * rate of simulating): `events` then counts the copies too. Copy k is the same people k windows
   * earlier (rounded up to whole weeks) on other jobs; the truth covers the simulated window only.
   * Needs the whole store (its bulk operations). @default 0
   */
  readonly copies?: number
  /**
   * Every office starts the window on a Monday mid-morning, whatever today is: a short window then
   * holds working days on a weekend too (tests, whose pages must not be empty on a Sunday).
   * @default false: the offices' real calendar, so a short window ending on a weekend holds no work
   */
  readonly mondayMorningAtStart?: boolean
  readonly progress?: Progress
}

/**
 * Simulates a team and writes what the service would store for it straight into `store`
 * (validation and working time by the ingest code, no HTTP). Resolves with the simulation (its
 * `truth` and `stats` complete) and the run's figures.
 */
export async function generateIntoStore(
  store: Pick<Store, 'ingest'> & Partial<Pick<Store, 'bulk'>>,
  options: GenerateOptions = {},
): Promise<{ simulation: Simulation; summary: RunSummary }> {
  const startedAt = Date.now()
  const seed = options.seed ?? 'demo'
  const endMs = options.endMs ?? Date.now()
  const copies = options.copies ?? 0
  const wanted = pick(options)
  if (wanted.events !== undefined) wanted.events = Math.ceil(wanted.events / (copies + 1))
  const size = chooseSize({ seed, endMs, ...wanted })
  const simulation = simulate({
    seed,
    users: size.users,
    window: historyWindow(endMs, size.days),
    ...(options.mondayMorningAtStart ? { mondayMorningAtStart: true } : {}),
  })
  const sink = createStoreSink(store, options.blockRows === undefined ? {} : { blockRows: options.blockRows })
  const run = await runSimulation(simulation, {
    sink,
    ...(options.progress ? { progress: options.progress } : {}),
  })
  if (copies === 0) return { simulation, summary: run }

  if (!store.bulk) throw new TypeError('copies need the whole store (its bulk operations), not only ingest')
  const { startMs } = simulation.window
  await store.bulk.copyWindow({
    fromMs: startMs,
    // Server rows of one request are logged a millisecond apart, so a few may pass the end.
    toMs: endMs + MINUTE,
    copies,
    shiftMs: Math.ceil((endMs + MINUTE - startMs) / (7 * DAY)) * 7 * DAY,
    // Project and task ids are below the job count: the next power of ten clears them all.
    idStride: 10 ** String(simulation.plan.jobs.length).length,
  })
  const elapsedMs = Date.now() - startedAt
  const events = run.events * (copies + 1)
  const summary = { ...run, events, elapsedMs, eventsPerSecond: (events * 1000) / Math.max(1, elapsedMs) }
  return { simulation, summary }
}

function pick(options: GenerateOptions): { users?: number; days?: number; events?: number } {
  return {
    ...(options.users === undefined ? {} : { users: options.users }),
    ...(options.days === undefined ? {} : { days: options.days }),
    ...(options.events === undefined ? {} : { events: options.events }),
  }
}
