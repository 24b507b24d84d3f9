import DataLoader from 'dataloader'
import type { AnswerBudget } from '../pipeline/answer-budget.js'
import type { EventTextColumn, Store, StoredEvent } from '../store/index.js'

/** Most characters one code point takes in UTF-8: what a cut text of n characters may weigh. */
const MAX_UTF8_BYTES_PER_CHAR = 4

/**
 * The large texts a page left out (StoredEvent.withheldTexts), fetched when a field asks for
 * them: all the events of a tick that ask for one column (cut to the same length) in one query,
 * after their stored sizes are held to the operation's budget, so a text that would not fit the
 * answer is never read.
 */
export interface EventTextLoaders {
  /** The event's text of `column`, whole, or its first `maxChars` characters. */
  load(event: StoredEvent, column: EventTextColumn, maxChars?: number): Promise<string | null>
}

export function createEventTextLoaders(store: Store, budget: AnswerBudget): EventTextLoaders {
  const loaders = new Map<string, DataLoader<StoredEvent, string | null, string>>()
  return {
    load(event, column, maxChars) {
      const key = `${column}:${maxChars ?? ''}`
      let loader = loaders.get(key)
      if (!loader) {
        loader = new DataLoader(
          async (events: readonly StoredEvent[]) => {
            budget.hold(
              events.reduce((sum, e) => sum + heldBytes(e.withheldTexts?.[column] ?? 0, maxChars), 0),
            )
            const texts = await store.events.texts(events, column, maxChars)
            return events.map((e) => texts.get(e.eventId) ?? null)
          },
          { cacheKeyFn: (e) => e.eventId },
        )
        loaders.set(key, loader)
      }
      return loader.load(event)
    },
  }
}

/** Bytes a text of `stored` bytes brings when cut to `maxChars` characters. */
function heldBytes(stored: number, maxChars: number | undefined): number {
  return maxChars === undefined ? stored : Math.min(stored, maxChars * MAX_UTF8_BYTES_PER_CHAR)
}
