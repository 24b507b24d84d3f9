import { badInput } from '../errors.js'
import {
  CVAT_IDLE_SECONDS,
  MAX_IDLE_SECONDS,
  MIN_IDLE_SECONDS,
  PRODUCTIVITY_GROUPS,
  type ProductivityGroup,
} from './productivity.js'

/** The most groups one productivity answer may hold before it is refused as too broad. */
export const MAX_PRODUCTIVITY_GROUPS = 100_000

/** Groups in a fixed order, each once; DAY and WEEK together are refused (a day is in one week). */
export function checkGroups(groups: readonly ProductivityGroup[], field: string): ProductivityGroup[] {
  if (groups.includes('day') && groups.includes('week')) {
    throw badInput(`${field}: group by DAY or by WEEK, not both`, { field })
  }
  return PRODUCTIVITY_GROUPS.filter((g) => groups.includes(g))
}

/** The idle cutoff in milliseconds, or null for CVAT's (100 s: the stored working time). */
export function idleCutoffMs(seconds: number, field: string): number | null {
  if (!Number.isInteger(seconds) || seconds < MIN_IDLE_SECONDS || seconds > MAX_IDLE_SECONDS) {
    throw badInput(
      `${field}: ${seconds} is not an idle cutoff; give whole seconds from ${MIN_IDLE_SECONDS} to ${MAX_IDLE_SECONDS}`,
      { field },
    )
  }
  return seconds === CVAT_IDLE_SECONDS ? null : seconds * 1000
}

/** Refuses an answer cut short: the caller is told to narrow it, never given part of it. */
export function checkOverflow(overflow: boolean, field: string): void {
  if (overflow) {
    throw badInput(
      `more than ${MAX_PRODUCTIVITY_GROUPS} groups; narrow the range or the filters, or group by fewer keys`,
      { field },
    )
  }
}
