import type { Random } from './random.js'
import type { DemoPerson } from './world.js'

/**
 * When a person is at the desk: weekdays only, minus days off; arrival around their usual hour;
 * a lunch of 45–60 minutes; a few short breaks. Every break is longer than CVAT's 100 s idle
 * threshold, so CVAT's rule counts none of it, as it should.
 */
export interface WorkBlock {
  readonly startMs: number
  readonly endMs: number
  /** The block starts the day or follows a lunch after which the tab was reloaded: `load:cvat`, no previous event. */
  readonly freshBrowser: boolean
}

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
/** Shortest break: well above CVAT's 100 s threshold, and longer than a 90 s logger period. */
export const MIN_BREAK_MS = 3 * MINUTE

/** Local midnights (as UTC ms) of the person's calendar days that overlap [fromMs, toMs). */
export function* localDays(person: DemoPerson, fromMs: number, toMs: number): Generator<number> {
  const offset = person.utcOffsetMinutes * MINUTE
  for (let midnight = Math.floor((fromMs + offset) / DAY) * DAY - offset; midnight < toMs; midnight += DAY) {
    yield midnight
  }
}

/** Day of the week of a local midnight: 0 is Sunday, 6 Saturday. */
export function localWeekday(person: DemoPerson, midnightMs: number): number {
  return new Date(midnightMs + person.utcOffsetMinutes * MINUTE).getUTCDay()
}

/**
 * The blocks of one local day, or none (weekend, day off). Draws from `rng` whether or not the
 * day is worked, so one day's outcome never changes the draws of the next.
 */
export function planDay(person: DemoPerson, midnightMs: number, rng: Random): WorkBlock[] {
  const { habits } = person
  const dayOff = rng.chance(habits.dayOffRate)
  const start = midnightMs + (habits.startMinute + rng.normal(0, 15, -45, 45)) * MINUTE
  const presence = (habits.presenceMinutes + rng.normal(0, 20, -60, 45)) * MINUTE
  const lunchAt = clamp(midnightMs + rng.normal(12.5 * HOUR, 20 * MINUTE), start + 2 * HOUR, start + 5 * HOUR)
  const lunch = rng.between(45, 60) * MINUTE
  const reloadAfterLunch = rng.chance(0.35)
  const morningBreaks = rng.chance(0.75) ? 1 : 0
  const afternoonBreaks = rng.int(1, 2)
  const breakLengths = Array.from({ length: morningBreaks + afternoonBreaks }, () =>
    Math.round(rng.logNormal(9 * MINUTE, 0.4, 25 * MINUTE) + MIN_BREAK_MS),
  )
  const breakPoints = breakLengths.map(() => rng.between(0.2, 0.8))
  const weekday = localWeekday(person, midnightMs)
  if (dayOff || weekday === 0 || weekday === 6) return []

  const morning = lunchAt - start
  const afternoon = Math.max(30 * MINUTE, presence - morning)
  const blocks: WorkBlock[] = []
  splitWithBreaks(start, lunchAt, breakLengths.slice(0, morningBreaks), breakPoints, true, blocks)
  const afternoonStart = lunchAt + lunch
  const afternoonBreakTotal = breakLengths.slice(morningBreaks).reduce((a, b) => a + b, 0)
  splitWithBreaks(
    afternoonStart,
    afternoonStart + afternoon + afternoonBreakTotal,
    breakLengths.slice(morningBreaks),
    breakPoints.slice(morningBreaks),
    reloadAfterLunch,
    blocks,
  )
  return blocks
}

/** Cuts [from, to) into blocks separated by the given breaks, placed at fractions of the span. */
function splitWithBreaks(
  from: number,
  to: number,
  breaks: readonly number[],
  points: readonly number[],
  fresh: boolean,
  out: WorkBlock[],
): void {
  let cursor = from
  let first = fresh
  const span = to - from
  const sorted = breaks
    .map((length, i) => ({ length, at: from + span * (points[i] ?? 0.5) }))
    .sort((a, b) => a.at - b.at)
  for (const { length, at } of sorted) {
    if (at - cursor < 10 * MINUTE || at + length >= to - 10 * MINUTE) continue
    out.push({ startMs: Math.round(cursor), endMs: Math.round(at), freshBrowser: first })
    first = false
    cursor = at + length
  }
  out.push({ startMs: Math.round(cursor), endMs: Math.round(to), freshBrowser: first })
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}
