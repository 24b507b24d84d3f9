import { withScopes } from '../domain/filter.js'
import { EXCEPTION_SCOPE } from '../domain/scopes.js'
import type { AlertQueries, IdleJob, NewExceptionGroup } from '../store/index.js'
import { ruleFilter } from './access.js'
import type { AlertRule } from './rule.js'

/** What one evaluation of a rule found. */
export interface Measurement {
  /** Whether the rule's condition holds over the window. */
  readonly firing: boolean
  /** What the rule counts over the window (exceptions, new groups, events, idle jobs, quarantined events). */
  readonly value: number
  /** `exception_spike`: exceptions in the window before. */
  readonly previous?: number
  /** `new_exception_group`: the new groups (the first DETAILS_LIMIT). */
  readonly groups?: readonly NewExceptionGroup[]
  /** `idle_job`: the idle jobs, longest idle first (the first DETAILS_LIMIT). */
  readonly jobs?: readonly IdleJob[]
}

/** How far back a job's state is looked for: a job set in progress longer ago is not watched. */
export const IDLE_JOB_LOOKBACK_MS = 30 * 24 * 3_600_000
/** Groups and jobs named in a notification. */
const DETAILS_LIMIT = 20
/** Groups and jobs counted at most (a value beyond it says "at least"). */
const COUNT_LIMIT = 1000

/**
 * Measures a rule over the window that ends at `at` (exclusive; the evaluated minute), in the
 * rule's organization. Each kind reads the store once or twice, from the rollups where they hold
 * what it needs (store/alert-measures.ts).
 */
export async function measure(alerts: AlertQueries, rule: AlertRule, at: number): Promise<Measurement> {
  const windowMs = rule.windowMinutes * 60_000
  const from = at - windowMs
  const to = at - 1
  const filter = ruleFilter(rule)
  switch (rule.kind) {
    case 'exception_spike': {
      const exceptions = withScopes(filter, [EXCEPTION_SCOPE])
      const [value, previous] = await Promise.all([
        alerts.countEvents({ ...exceptions, from, to }),
        alerts.countEvents({ ...exceptions, from: from - windowMs, to: from - 1 }),
      ])
      const rising = rule.factor === null || value >= rule.factor * previous
      return { firing: value >= rule.threshold && rising, value, previous }
    }
    case 'new_exception_group': {
      const groups = await alerts.newExceptionGroups(
        { ...withScopes(filter, [EXCEPTION_SCOPE]), from, to },
        COUNT_LIMIT,
      )
      return {
        firing: groups.length >= rule.threshold,
        value: groups.length,
        groups: groups.slice(0, DETAILS_LIMIT),
      }
    }
    case 'no_events': {
      const value = await alerts.countEvents({ ...filter, from, to })
      return { firing: value === 0, value }
    }
    case 'idle_job': {
      const jobs = await alerts.idleJobs(
        filter,
        { sinceMs: at - IDLE_JOB_LOOKBACK_MS, quietSinceMs: from, toMs: to },
        COUNT_LIMIT,
      )
      return { firing: jobs.length >= rule.threshold, value: jobs.length, jobs: jobs.slice(0, DETAILS_LIMIT) }
    }
    case 'quarantine': {
      const value = await alerts.countQuarantined(from, to)
      return { firing: value >= rule.threshold, value }
    }
  }
}
