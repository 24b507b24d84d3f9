import type { Context } from '../context.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import { badInput } from '../errors.js'
import pLimit, { type LimitFunction } from 'p-limit'
import { textBytes, type AnswerBudget } from '../pipeline/answer-budget.js'
import type { EventPage, EventPageRequest, EventTextColumn, StoredEvent } from '../store/index.js'

/**
 * Bytes of large texts a page asks to bring per row in its first read: rows with more come
 * without them (their sizes only) and are fetched, if selected, once their sizes are held to the
 * budget. Most events' texts are far smaller; a page of 1000 asks for at most 64 MiB, which the
 * operation's budget then cuts down to what it has left.
 */
export const ROW_TEXT_SHARE = 64 * 1024

/**
 * Page reads of one operation that run at once (an operation may ask for 30 aliased pages, or the
 * events of 100 jobs): as many as the embedded engine has read connections, and one more, so an
 * operation that ran out of budget starts no further reads.
 */
const READS_AT_ONCE = 4
const readSlots = new WeakMap<AnswerBudget, LimitFunction>()

/**
 * One page of events held to the operation's answer budget: the read is granted a share of what
 * is left, and rows whose texts would pass their part of it come without them (see ROW_TEXT_SHARE).
 */
export async function readEventPage(
  ctx: Context,
  filter: AuthorizedFilter,
  request: EventPageRequest,
): Promise<EventPage> {
  let slots = readSlots.get(ctx.answer)
  if (!slots) {
    slots = pLimit(READS_AT_ONCE)
    readSlots.set(ctx.answer, slots)
  }
  return slots(async () => {
    const granted = ctx.answer.grant(request.first * ROW_TEXT_SHARE)
    let page: EventPage | undefined
    try {
      page = await ctx.store.events.page(filter, {
        ...request,
        maxRowTextBytes: Math.floor(granted / request.first),
      })
      return page
    } finally {
      ctx.answer.settle(granted, page?.textBytes ?? 0)
    }
  })
}

/** What the `maxLength` argument of a large text field says. */
export const MAX_LENGTH_DESCRIPTION =
  'At most this many characters (Unicode code points) of the text; a longer text is cut. Large texts ' +
  'count towards GRAPHQL_MAX_RESPONSE_BYTES, so cutting them lets a page hold more events.'

/** `maxLength` as given: undefined (whole), or a count of characters (BAD_USER_INPUT when negative). */
export function readMaxLength(value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined
  if (value < 0) throw badInput('maxLength must be 0 or more', { field: 'maxLength' })
  return value
}

/**
 * An event's text of `column` as a field answers it: fetched if the page left it out, cut to
 * `maxChars`, and counted towards the answer's bytes.
 */
export async function eventText(
  ctx: Context,
  e: StoredEvent,
  column: EventTextColumn,
  maxChars?: number,
): Promise<string | null> {
  const text = await fullText(ctx, e, column, maxChars)
  if (text === null) return null
  const answer = maxChars === undefined ? text : clip(text, maxChars).text
  ctx.answer.answer(textBytes(answer))
  return answer
}

/**
 * The text of `column`, whole (or, with `maxChars`, at least its first maxChars + 1 characters,
 * enough to tell whether it is longer): from the row, or fetched when the page left it out.
 */
export async function fullText(
  ctx: Context,
  e: StoredEvent,
  column: EventTextColumn,
  maxChars?: number,
): Promise<string | null> {
  const withheld = e.withheldTexts?.[column]
  if (withheld === undefined || withheld === null) return e[column]
  ctx.answer.check()
  return ctx.loaders.eventTexts.load(e, column, maxChars === undefined ? undefined : maxChars + 1)
}

const whole = new WeakMap<StoredEvent, Promise<StoredEvent>>()

/** The event with its payload (message, stack, group and `payload` read it), fetched if the page left it out. */
export function withPayload(ctx: Context, e: StoredEvent): StoredEvent | Promise<StoredEvent> {
  const withheld = e.withheldTexts?.payload
  if (withheld === undefined || withheld === null) return e
  let full = whole.get(e)
  if (!full) {
    full = fullText(ctx, e, 'payload').then((payload) => ({ ...e, payload }))
    whole.set(e, full)
  }
  return full
}

/** A string of the answer (a message, a stack) counted towards its bytes. */
export function answered(ctx: Context, text: string | null): string | null {
  if (text !== null) ctx.answer.answer(textBytes(text))
  return text
}

/** The first `maxChars` code points of `text` (a surrogate pair is never split), and whether it was longer. */
export function clip(text: string, maxChars: number): { text: string; clipped: boolean } {
  // Code points never outnumber UTF-16 units.
  if (text.length <= maxChars) return { text, clipped: false }
  let index = 0
  for (let chars = 0; chars < maxChars && index < text.length; chars += 1) {
    const unit = text.charCodeAt(index)
    index += unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length ? 2 : 1
  }
  return index >= text.length ? { text, clipped: false } : { text: text.slice(0, index), clipped: true }
}
