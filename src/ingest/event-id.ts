import { randomBytes, randomInt } from 'node:crypto'
import { v7 } from 'uuid'

// The 40 bits after the counter (RFC 9562 §6.2, method 1: a counter in rand_a/rand_b) are drawn
// once per process, not per id: ids of one process then differ only in time and counter, so the
// engine compresses them to ~3 bytes a row instead of 16 (bench/disk.ts), while two processes
// (API replicas, restarts) still differ in those 40 random bits.
const processBits = randomBytes(16)
let counter = randomInt(2 ** 31)

/**
 * A fresh UUIDv7 for an event whose time is `timestampMs`: the id's time is the event's own time
 * (not the arrival's), so ids sort like the table's (org, timestamp) key and compress beside it,
 * and keyset pagination's (timestamp, event_id) order agrees with the id's. Unique: within a
 * process the 32-bit counter never repeats for one millisecond before 2³² further ids.
 */
export function newEventId(timestampMs: number): string {
  counter = (counter + 1) | 0
  return v7({ msecs: Math.min(Math.max(0, timestampMs), MAX_MS), seq: counter, random: processBits })
}

const MAX_MS = 2 ** 48 - 1
