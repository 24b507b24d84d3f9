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

// The pilot: four weeks of the team, measured over the last two (ten weekdays whatever the end),
// once the team has settled into its work. Teams larger than PILOT_MAX_USERS are extrapolated.
const PILOT_DAYS = 28
const MEASURED_DAYS = 14
const PILOT_MAX_USERS = 200
/** The window grows in quarter days, so small targets are met closely too. */
const DAY_STEP = 0.25

/**
 * Users and days for a request. Without a target it is what was asked (or the defaults). With a
 * target, a pilot of the same seed measures the team's events per weekday, and the window grows
 * until it should hold the target; with `days` fixed the team grows instead (re-measured, since
 * a larger team has proportionally more annotators). The result lands within a few percent of
 * the target, and the run reports the exact number.
 */
export function chooseSize(request: SizeRequest): Size {
  const { events } = request
  if (events === undefined) {
    return { users: request.users ?? DEFAULT_USERS, days: request.days ?? DEFAULT_DAYS }
  }
  if (!(events > 0)) throw new RangeError(`events must be positive, got ${events}`)
  if (request.days !== undefined) {
    const weekdays = Math.max(DAY_STEP, weekdaysIn(historyWindow(request.endMs, request.days)))
    let users = DEFAULT_USERS
    for (let round = 0; round < 2; round++) {
      const perUser = perWeekday(request, users) / users
      users = Math.min(MAX_USERS, Math.max(MIN_USERS, Math.round(events / (perUser * weekdays))))
    }
    return { users, days: request.days }
  }
  const users = request.users ?? DEFAULT_USERS
  const rate = perWeekday(request, users)
  let days = DAY_STEP
  while (weekdaysIn(historyWindow(request.endMs, days)) * rate < events) days += DAY_STEP
  return { users, days }
}

function perWeekday(request: SizeRequest, users: number): number {
  const simulated = Math.min(users, PILOT_MAX_USERS)
  return (pilot(request, simulated) * users) / simulated
}

/** Stored events per weekday of a team of `users` (at most PILOT_MAX_USERS simulated). */
function pilot(request: SizeRequest, users: number): number {
  const simulation = simulate({
    seed: request.seed,
    users: Math.min(users, PILOT_MAX_USERS),
    window: historyWindow(request.endMs, PILOT_DAYS),
  })
  const measured = historyWindow(request.endMs, MEASURED_DAYS)
  let rows = 0
  for (const { send, storedRows } of simulation.sends()) if (send.atMs >= measured.startMs) rows += storedRows
  return rows / weekdaysIn(measured)
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
