import { HEARTBEAT_SCOPE, WORKING_TIME_SCOPE } from '../domain/scopes.js'
import type { DemoSend } from './sends.js'

/** Counts of what a simulation produced, by the rows a CVAT-compatible store will hold. */
export class SimulationStats {
  /** Rows the store holds for the sends so far: client events without heartbeats, working time, server rows. */
  storedRows = 0
  clientBatches = 0
  serverRequests = 0
  /** Heartbeats sent (they feed working time and are not stored). */
  heartbeats = 0
  /** Stored rows by scope. */
  readonly byScope = new Map<string, number>()

  /** Records a send; `workingTimeRows` is what CVAT's rule yields for it (client batches). Returns its stored rows. */
  add(send: DemoSend, workingTimeRows: number): number {
    let rows = 0
    if (send.kind === 'client') {
      this.clientBatches++
      for (const event of send.events) {
        if (event.scope === HEARTBEAT_SCOPE) {
          this.heartbeats++
          continue
        }
        this.count(event.scope, 1)
        rows++
      }
      if (workingTimeRows > 0) this.count(WORKING_TIME_SCOPE, workingTimeRows)
      rows += workingTimeRows
    } else {
      this.serverRequests++
      for (const row of send.rows) this.count(row.scope as string, 1)
      rows = send.rows.length
    }
    this.storedRows += rows
    return rows
  }

  /** Stored rows by scope, most frequent first. */
  scopes(): [string, number][] {
    return [...this.byScope.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  }

  private count(scope: string, n: number): void {
    this.byScope.set(scope, (this.byScope.get(scope) ?? 0) + n)
  }
}
