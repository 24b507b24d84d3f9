import type { AlertNotification } from './notification.js'

/**
 * What the evaluator last concluded about a rule (JSON in `alert_states.document`). Times are
 * epoch ms. Only the lease holder writes it, once per evaluation that changes something.
 */
export interface AlertState {
  readonly version: 1
  readonly ruleId: string
  readonly state: 'ok' | 'firing'
  /** When the current firing began; null while ok. */
  readonly firingSince: number | null
  /** Firings so far: the number of the current (or last) one, in its notifications' ids. */
  readonly firings: number
  /** The minute last evaluated (a rule is evaluated once a minute, by whichever replica holds the lease). */
  readonly lastEvaluatedAt: number | null
  readonly lastFiredAt: number | null
  readonly lastResolvedAt: number | null
  /** What the last evaluation measured. */
  readonly value: number | null
  /**
   * The notification of the last change of state, as recorded with it: the state is written first,
   * then the notification, and a notification found missing later (the process stopped in
   * between) is written again from here, with the same id.
   */
  readonly lastNotification: AlertNotification | null
}

/** The state of a rule never evaluated. */
export function initialState(ruleId: string): AlertState {
  return {
    version: 1,
    ruleId,
    state: 'ok',
    firingSince: null,
    firings: 0,
    lastEvaluatedAt: null,
    lastFiredAt: null,
    lastResolvedAt: null,
    value: null,
    lastNotification: null,
  }
}

/** Reads a state's JSON; undefined when it is not one. */
export function parseState(text: string): AlertState | undefined {
  try {
    const value = JSON.parse(text) as Partial<AlertState>
    if (value.version !== 1 || typeof value.ruleId !== 'string') return undefined
    return value as AlertState
  } catch {
    return undefined
  }
}
