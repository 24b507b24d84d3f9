import { mergeByTime } from './merge.js'
import { personSends } from './person-stream.js'
import { planWork, type DemoPlan, type Window } from './plan.js'
import type { DemoSend } from './sends.js'
import { SimulationStats } from './stats.js'
import { TruthLedger } from './truth.js'
import { buildWorld, type DemoWorld } from './world.js'

export interface SimulationOptions {
  /** Same seed and options, same events (event and request ids the server makes aside). */
  readonly seed: string
  /** People in the simulated world, at least 3 (an owner, a supervisor, a worker). */
  readonly users: number
  /** The simulated time span; nothing is generated outside it. */
  readonly window: Window
  /** Every office starts the window on a Monday mid-morning (for live runs; see WorldOptions). */
  readonly mondayMorningAtStart?: boolean
}

/** One send with the number of rows a CVAT-compatible store holds for it. */
export interface SimulatedSend {
  readonly send: DemoSend
  readonly storedRows: number
}

/**
 * A simulated team at work over a window of time. `sends()` generates lazily (memory stays
 * bounded for any size) and fills `truth` and `stats` as it goes: read them after iterating.
 */
export interface Simulation {
  readonly world: DemoWorld
  readonly plan: DemoPlan
  readonly window: Window
  readonly truth: TruthLedger
  readonly stats: SimulationStats
  /** Every send in time order. Iterate once. */
  sends(): Generator<SimulatedSend>
}

export function simulate(options: SimulationOptions): Simulation {
  const { window } = options
  if (!(window.endMs > window.startMs)) throw new RangeError('the window must end after it starts')
  const world = buildWorld(
    options.seed,
    options.users,
    options.mondayMorningAtStart ? { mondayMorningAt: window.startMs } : {},
  )
  const plan = planWork(world, window)
  const truth = new TruthLedger()
  const stats = new SimulationStats()
  let started = false
  return {
    world,
    plan,
    window,
    truth,
    stats,
    *sends() {
      if (started) throw new Error('a simulation runs once; call simulate() again for another run')
      started = true
      const streams = [
        plan.sends[Symbol.iterator](),
        ...world.people.map((person) => personSends(person, plan, window, truth)),
      ]
      for (const send of mergeByTime<DemoSend>(streams)) {
        const workingTimeRows = send.kind === 'client' ? truth.addBatch(send) : 0
        if (send.kind === 'server') truth.addServer(send)
        yield { send, storedRows: stats.add(send, workingTimeRows) }
      }
    },
  }
}
