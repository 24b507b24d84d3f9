import { HEARTBEAT_SCOPE } from '../domain/scopes.js'
import { IDLE_THRESHOLD_MS } from '../ingest/working-time.js'
import { BrowserLog } from './browser-log.js'
import type { WorkBlock } from './calendar.js'
import type { DemoJob } from './plan.js'
import type { Random } from './random.js'
import type { DemoSend, ServerSend, SimEvent } from './sends.js'
import type { TruthLedger } from './truth.js'
import type { DemoPerson } from './world.js'

/** Optional columns of a client event; the job context and time come from the desk. */
export interface EventFields {
  readonly duration?: number
  readonly objName?: string
  readonly objVal?: string
  readonly count?: number
  readonly payload?: Readonly<Record<string, unknown>>
}

/**
 * One person at the computer: a clock that only moves forward, the open browser tab (CVAT's
 * logger) and the job open in it. Behaviours (annotate, review, browse) act through it; the desk
 * stamps events with the time and job, sends heartbeats while the person is busy between events,
 * and keeps the model's account of time (see truth.ts) as it goes.
 */
export class Desk {
  /** Now, for this person. */
  t = 0
  /** Past the end of the simulated window: nothing more is logged. */
  closed = false
  /** The job open in the tab (the ids events carry); null on CVAT's start page. */
  job: DemoJob | null = null
  private blockEndMs = 0
  private lastEnd = -Infinity
  private log: BrowserLog | null = null
  private out: DemoSend[] = []
  private span: { job: DemoJob | null; startMs: number; events: number } | null = null
  private heartbeatGapMs: number

  constructor(
    readonly person: DemoPerson,
    readonly rng: Random,
    private readonly windowEndMs: number,
    private readonly ledger: TruthLedger,
  ) {
    this.heartbeatGapMs = this.nextHeartbeatGap()
  }

  /** True while the block lasts and the window is open. */
  get busy(): boolean {
    return !this.closed && this.t < this.blockEndMs
  }

  get blockEnd(): number {
    return this.blockEndMs
  }

  /** Sits down at the start of a block; a fresh browser (morning, reload) logs `load:cvat`. */
  beginBlock(block: WorkBlock): void {
    this.t = block.startMs
    this.blockEndMs = block.endMs
    if (block.freshBrowser || this.log === null) this.openBrowser()
  }

  /** Gets up at the end of a block: the sends it produced, in time order. */
  endBlock(): DemoSend[] {
    this.endSpan()
    this.log?.settle(this.t)
    const sends = this.out.sort((a, b) => a.atMs - b.atMs)
    this.out = []
    return sends
  }

  /**
   * Starts working on `job`. Within a sitting the new job's time starts where the previous job's
   * ended (its last event), so the model's sittings tile the time the person was at work.
   */
  workOn(job: DemoJob | null): void {
    const startMs = this.span ? this.lastEnd : Math.round(this.t)
    this.endSpan()
    this.span = { job, startMs, events: 0 }
  }

  /** Logs an event now, in the open job's context. False once the window is over. */
  emit(scope: string, fields: EventFields = {}): boolean {
    if (this.closed || this.t > this.windowEndMs) {
      this.closed = true
      return false
    }
    const timestampMs = Math.round(this.t)
    const gap = timestampMs - this.lastEnd
    // A sitting's time starts with its first action (the moments before it are not observable).
    if (this.span && this.span.events === 0 && this.span.startMs > this.lastEnd)
      this.span.startMs = timestampMs
    // A pause of 100 s or more inside a sitting: the model counts it, CVAT's rule drops it.
    if (this.span && this.span.startMs <= this.lastEnd && gap >= IDLE_THRESHOLD_MS) {
      this.ledger.addIdle(this.person, this.span.job, gap)
    }
    const duration = Math.round(fields.duration ?? 0)
    const job = this.job
    const event: SimEvent = {
      scope,
      timestampMs,
      duration,
      jobId: job?.id ?? null,
      taskId: job?.task.id ?? null,
      projectId: job?.project.id ?? null,
      ...(fields.objName === undefined ? {} : { objName: fields.objName }),
      ...(fields.objVal === undefined ? {} : { objVal: fields.objVal }),
      ...(fields.count === undefined ? {} : { count: fields.count }),
      ...(fields.payload === undefined ? {} : { payload: JSON.stringify(fields.payload) }),
    }
    this.t = event.timestampMs
    this.log?.push(event)
    // CVAT's rule extends activity only by change:frame's duration; the person waits out the others too.
    this.lastEnd = scope === 'change:frame' ? this.t + duration : this.t
    this.t += duration
    if (this.span) this.span.events++
    return true
  }

  /**
   * The person is busy without logging anything (drawing, reading the frame) for `ms`: CVAT's UI
   * sends `user:activity` heartbeats meanwhile, so the time counts.
   */
  think(ms: number): void {
    const target = this.t + ms
    while (this.t + this.heartbeatGapMs < target && !this.closed) {
      this.t += this.heartbeatGapMs
      this.emit(HEARTBEAT_SCOPE)
      this.heartbeatGapMs = this.nextHeartbeatGap()
    }
    this.t = Math.max(this.t, target)
  }

  /** The person is at the desk but not using CVAT (chat, documents, phone): no events at all. */
  away(ms: number): void {
    this.t += ms
  }

  /** A server event this person's request causes, logged `latencyMs` from now. */
  server(latencyMs: number, build: (atMs: number) => ServerSend | null): void {
    const atMs = Math.round(this.t + latencyMs)
    if (atMs > this.windowEndMs) return
    const send = build(atMs)
    if (send) this.out.push(send)
  }

  private openBrowser(): void {
    this.log?.settle(this.t)
    this.log = new BrowserLog(this.person, this.t, this.rng, (send) => this.out.push(send), this.windowEndMs)
    this.job = null
    const { platform } = this.person.platform
    this.emit('load:cvat', { payload: { location: '/jobs', platform } })
  }

  private endSpan(): void {
    const span = this.span
    this.span = null
    if (span && span.events > 0 && this.lastEnd > span.startMs) {
      this.ledger.addModel(this.person, span.job, this.lastEnd - span.startMs)
    }
  }

  private nextHeartbeatGap(): number {
    return this.rng.between(15_000, 35_000)
  }
}
