import type { EventRecord } from '../domain/event.js'
import { HEARTBEAT_SCOPE } from '../domain/scopes.js'
import type { TimedEvent } from './working-time.js'

const INT32 = 2 ** 31

const keyOf = (e: Pick<TimedEvent, 'jobId' | 'taskId' | 'projectId'>) =>
  `${e.jobId}|${e.taskId}|${e.projectId}`

/**
 * Keeps a client batch's `user:activity` heartbeats, which are not stored as events, on the rows
 * that are: each heartbeat goes to a row of the same batch with the same job, task and project
 * (the nearest stored event before it, else the nearest after it, else the batch's working-time
 * row of those ids), else to the batch's last stored event, as its offset in milliseconds from
 * that row's time (`EventRecord.heartbeats`). Same ids, so that working time recomputed from the
 * rows credits each heartbeat's time where CVAT's rule credits it. A batch with nothing stored
 * (one lone heartbeat) keeps nothing: it holds no working time either.
 *
 * `events` is the batch in order with its times as sent; `records` its stored rows: the events
 * that are not heartbeats, in the same order, then the working-time rows. Rows that get
 * heartbeats are replaced in `records`. Runs only for batches that hold heartbeats.
 */
export function attachHeartbeats(
  events: readonly TimedEvent[],
  records: EventRecord[],
  clientRows: number,
  correctionMs: number,
): void {
  const offsets = new Map<number, number[]>()
  const add = (row: number, sentMs: number) => {
    const offset = sentMs + correctionMs - (records[row] as EventRecord).timestampMs
    if (offset < -INT32 || offset >= INT32) return
    const list = offsets.get(row)
    if (list) list.push(offset)
    else offsets.set(row, [offset])
  }
  const lastRowOf = new Map<string, number>()
  const waiting = new Map<string, number[]>()
  let row = 0
  for (const event of events) {
    const key = keyOf(event)
    if (event.scope !== HEARTBEAT_SCOPE) {
      const before = waiting.get(key)
      if (before) {
        for (const ms of before) add(row, ms)
        waiting.delete(key)
      }
      lastRowOf.set(key, row++)
      continue
    }
    const carrier = lastRowOf.get(key)
    if (carrier !== undefined) add(carrier, event.timestampMs)
    else waiting.set(key, [...(waiting.get(key) ?? []), event.timestampMs])
  }
  for (const [key, times] of waiting) {
    let carrier = -1
    for (let i = clientRows; i < records.length && carrier < 0; i++) {
      if (keyOf(records[i] as EventRecord) === key) carrier = i
    }
    if (carrier < 0) carrier = clientRows > 0 ? clientRows - 1 : records.length > 0 ? 0 : -1
    if (carrier >= 0) for (const ms of times) add(carrier, ms)
  }
  for (const [i, list] of offsets) {
    records[i] = { ...(records[i] as EventRecord), heartbeats: list.sort((a, b) => a - b) }
  }
}
