import { DAY } from './calendar.js'
import type { Window } from './plan.js'
import { simulate } from './simulation.js'
import { MAX_USERS, MIN_USERS } from './world.js'

/** A small team over a week: a demo that fills dashboards in well under a minute over HTTP. */
export const DEFAULT_USERS = 12
export const DEFAULT_DAYS = 7

export interface SizeRequest {
  readonly seed: string
  readonly endMs: number
  readonly users?: number
  readonly days?: number
  /** Target number of stored events: sets the days (or, with `days` given, the users). */
  readonly events?: number
}

export interface Size {
  readonly users: number
  readonly days: number
}

/** The window of `days` days of history ending at `endMs`. */
export function historyWindow(endMs: number, days: number): Window {
  return { startMs: endMs - Math.round(days * DAY), endMs }
}

// The pilot: two weeks (ten weekdays whatever the end) of a team the size of the request.
const PILOT_DAYS = 14
const PILOT_MAX_USERS = 24

/**
 * Users and days for a request. Without a target it is what was asked (or the defaults). With a
 * target, a two-week pilot of the same seed measures events per weekday, and the window grows
 * (or, with `days` fixed, the team) until it should hold the target: the result lands within a
 * few percent of it, and the run reports the exact number.
 */
export function chooseSize(request: SizeRequest): Size {
  const { events } = request
  if (events === undefined) {
    return { users: request.users ?? DEFAULT_USERS, days: request.days ?? DEFAULT_DAYS }
  }
  if (!(events > 0)) throw new RangeError(`events must be positive, got ${events}`)
  if (request.days !== undefined) {
    const weekdays = weekdaysIn(historyWindow(request.endMs, request.days))
    const pilotUsers = Math.min(PILOT_MAX_USERS, Math.max(DEFAULT_USERS, request.users ?? 0))
    const perUserWeekday = pilot(request, pilotUsers) / pilotUsers
    const users = Math.ceil(events / (perUserWeekday * Math.max(1, weekdays)))
    return { users: Math.min(MAX_USERS, Math.max(MIN_USERS, users)), days: request.days }
  }
  const users = request.users ?? DEFAULT_USERS
  const perWeekday = pilot(request, users) * (users / Math.min(users, PILOT_MAX_USERS))
  let days = 1
  while (weekdaysIn(historyWindow(request.endMs, days)) * perWeekday < events) days++
  return { users, days }
}

/** Stored events per weekday of a team of `users` (at most PILOT_MAX_USERS simulated). */
function pilot(request: SizeRequest, users: number): number {
  const simulation = simulate({
    seed: request.seed,
    users: Math.min(users, PILOT_MAX_USERS),
    window: historyWindow(request.endMs, PILOT_DAYS),
  })
  for (const _ of simulation.sends());
  return simulation.stats.storedRows / weekdaysIn(simulation.window)
}

/** Weekdays (UTC) in a window, counting partial days by the share of them inside it. */
function weekdaysIn(window: Window): number {
  let total = 0
  for (let day = Math.floor(window.startMs / DAY) * DAY; day < window.endMs; day += DAY) {
    const weekday = new Date(day).getUTCDay()
    if (weekday === 0 || weekday === 6) continue
    total += (Math.min(window.endMs, day + DAY) - Math.max(window.startMs, day)) / DAY
  }
  return total
}
