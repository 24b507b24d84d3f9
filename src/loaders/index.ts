import type { AnswerBudget } from '../pipeline/answer-budget.js'
import type { Store } from '../store/index.js'
import { createEntityLoaders, type EntityLoaders } from './entity-loaders.js'
import { createProductivityLoaders, type ProductivityLoaders } from './productivity-loaders.js'
import { createEventTextLoaders, type EventTextLoaders } from './event-texts.js'

/** Every loader family, created fresh per operation (a cache must never outlive its operation). */
export interface Loaders {
  readonly entities: EntityLoaders
  readonly productivity: ProductivityLoaders
  /** Large texts that event pages left out, held to the operation's answer budget. */
  readonly eventTexts: EventTextLoaders
}

export function createLoaders(store: Store, budget: AnswerBudget): Loaders {
  return {
    entities: createEntityLoaders(store),
    productivity: createProductivityLoaders(store),
    eventTexts: createEventTextLoaders(store, budget),
  }
}
