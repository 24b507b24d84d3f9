import type { Random } from './random.js'
import type { ClientSend, DemoSend, SimEvent } from './sends.js'
import type { DemoPerson } from './world.js'

/** CVAT's UI saves its event log every 90 s (`CONTROLS_LOGS_INTERVAL` in cvat-ui's config). */
export const SAVE_INTERVAL_MS = 90_000

/**
 * CVAT's UI logger in one browser tab: events collect in memory and a timer posts them every
 * ~90 s (the next timer starts when the previous save returns, hence the jitter); an empty log
 * posts nothing. Each batch names the last event of the tab's previous batch (`previous_event`),
 * which lets the server measure the time across the two batches.
 */
export class BrowserLog {
  private pending: SimEvent[] = []
  private previous: SimEvent | null = null
  private nextSaveMs: number

  constructor(
    private readonly person: DemoPerson,
    openedAtMs: number,
    private readonly rng: Random,
    private readonly out: (send: DemoSend) => void,
    /** No batch is posted after this time (the end of the simulated window). */
    private readonly lastPostMs: number,
  ) {
    this.nextSaveMs = Math.round(openedAtMs) + SAVE_INTERVAL_MS
  }

  /**
   * Logs an event. Events enter the log when they close: a `change:frame` when its frame has
   * loaded, everything else at once; callers log in time order and never overlap, so this is
   * also their time order.
   */
  push(event: SimEvent): void {
    this.saveUntil(event.timestampMs + (event.scope === 'change:frame' ? event.duration : 0))
    this.pending.push(event)
  }

  /** Posts what the timer would have posted up to `ms`. */
  saveUntil(ms: number): void {
    while (this.nextSaveMs <= ms) {
      this.post(this.nextSaveMs)
      this.nextSaveMs += SAVE_INTERVAL_MS + this.rng.int(20, 600)
    }
  }

  /**
   * The person steps away (or closes the tab) after `lastEventMs`: the timer posts what is
   * pending at its next tick, or at the end of the window if that comes first.
   */
  settle(lastEventMs: number): void {
    this.saveUntil(lastEventMs + SAVE_INTERVAL_MS + 1_000)
  }

  private post(atMs: number): void {
    if (this.pending.length === 0) return
    const send: ClientSend = {
      kind: 'client',
      atMs: Math.min(atMs, this.lastPostMs),
      person: this.person,
      events: this.pending,
      previous: this.previous,
    }
    this.out(send)
    this.previous = this.pending[this.pending.length - 1] as SimEvent
    this.pending = []
  }
}
