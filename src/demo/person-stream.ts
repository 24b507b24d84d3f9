import { annotator } from './annotate.js'
import type { Behaviour } from './behaviour.js'
import { localDays, planDay } from './calendar.js'
import { Desk } from './desk.js'
import type { DemoPlan, Window } from './plan.js'
import { Random } from './random.js'
import { reviewer } from './review.js'
import type { DemoSend } from './sends.js'
import type { TruthLedger } from './truth.js'
import { visitor } from './visit.js'
import type { DemoPerson } from './world.js'

export function behaviourOf(person: DemoPerson, plan: DemoPlan, ledger: TruthLedger): Behaviour {
  switch (person.orgRole) {
    case 'worker':
      return annotator(person, plan)
    case 'supervisor':
      return reviewer(person, plan, ledger)
    default:
      return visitor(person, plan)
  }
}

/**
 * Everything one person sends over the window, in time order, generated lazily one sitting at a
 * time (a sitting's sends all precede the next sitting's: breaks outlast the logger's period).
 * A sitting under way when the window opens starts with it, in a fresh browser tab.
 */
export function* personSends(
  person: DemoPerson,
  plan: DemoPlan,
  window: Window,
  ledger: TruthLedger,
): Generator<DemoSend> {
  const seed = plan.seed
  const days = new Random(seed, 'days', person.index)
  const desk = new Desk(person, new Random(seed, 'desk', person.index), window.endMs, ledger)
  const behaviour = behaviourOf(person, plan, ledger)
  for (const midnight of localDays(person, window.startMs, window.endMs)) {
    for (const block of behaviour.shapeDay(planDay(person, midnight, days), days)) {
      if (block.endMs <= window.startMs) continue
      if (block.startMs >= window.endMs) return
      const started = block.startMs < window.startMs
      desk.beginBlock(started ? { startMs: window.startMs, endMs: block.endMs, freshBrowser: true } : block)
      behaviour.runBlock(desk)
      yield* desk.endBlock()
      if (desk.closed) return
    }
  }
}
