import { MINUTE, type WorkBlock } from './calendar.js'
import type { Desk } from './desk.js'
import type { DemoJob, DemoPlan } from './plan.js'
import type { Random } from './random.js'
import type { DemoPerson } from './world.js'

/**
 * What a person does with their working time. Workers annotate their assigned jobs (annotate.ts),
 * supervisors review the organization's jobs (review.ts), owners and maintainers look in now and
 * then (visit.ts; their server-side work, creating tasks, is in the plan).
 */
export interface Behaviour {
  /** The blocks of a day in which the person uses CVAT (a subset for those who mostly do other things). */
  shapeDay(blocks: readonly WorkBlock[], rng: Random): WorkBlock[]
  /** Acts for one block, from `desk.t` until the block ends. */
  runBlock(desk: Desk): void
}

/** Drops into CVAT for short sittings: each block has a chance of one sitting of 10–40 minutes. */
export function shortSittings(blocks: readonly WorkBlock[], rng: Random, chance: number): WorkBlock[] {
  const sittings: WorkBlock[] = []
  for (const block of blocks) {
    const length = rng.between(10, 40) * MINUTE
    const at = rng.next()
    if (!rng.chance(chance) || block.endMs - block.startMs < length) continue
    const startMs = Math.round(block.startMs + at * (block.endMs - block.startMs - length))
    sittings.push({ startMs, endMs: startMs + Math.round(length), freshBrowser: true })
  }
  return sittings
}

/** Jobs of the person's organization that exist at `ms`, newest last. */
export function jobsAvailable(plan: DemoPlan, person: DemoPerson, ms: number): DemoJob[] {
  return (plan.jobsIn.get(person.orgIndex) ?? []).filter((job) => job.createdAtMs <= ms)
}

/**
 * Nothing to work on yet (at the start of the window, before the first tasks exist): waits, away
 * from CVAT, until the first of `jobs` to come is created, if that happens within the sitting.
 * False when nothing will come in time.
 */
export function waitForWork(desk: Desk, jobs: readonly DemoJob[]): boolean {
  let next = Infinity
  for (const job of jobs) if (job.createdAtMs > desk.t && job.createdAtMs < next) next = job.createdAtMs
  if (next >= desk.blockEnd) return false
  desk.away(next - desk.t + desk.rng.between(10_000, 60_000))
  return true
}
