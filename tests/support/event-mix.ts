import { randomUUID } from 'node:crypto'
import type { EventRecord } from '../../src/domain/event.js'
import { emptyRecord } from '../../src/ingest/records.js'
import { SAMPLES } from './stack-traces.js'

/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A linear congruential generator: the rollup tests' data was drawn with it, and their edge cases
 * (events on cell boundaries, every kind present) were checked against that data.
 */
export function lcg(seed: number): () => number {
  let state = seed
  return () => {
    // Exact 32-bit arithmetic: in floating point the product loses its low bits and the
    // sequence falls into a cycle of ~10k draws (whole events then repeat).
    state = (Math.imul(state, 1_103_515_245) + 12_345) & 0x7fffffff
    return state / 2 ** 31
  }
}

export const pick = <T>(rnd: () => number, items: readonly T[]): T =>
  items[Math.floor(rnd() * items.length)] as T

export const MIX_T0 = Date.UTC(2024, 4, 6, 8)

/** Messages that stress the normalisation: ids, URLs, odd spacing and characters. */
export const AWKWARD_MESSAGES: readonly unknown[] = [
  'Job 17 of task 4 failed',
  'Job 4242 of task 9 failed',
  'Fetch https://cvat.example.com/api/jobs/17?org=acme failed with 504',
  '  leading and trailing\t\tspaces \r\n',
  'ünïcödé 😀 message 12 with \u2028 separator',
  'quote \' and "double" and back\\slash',
  '',
  42,
  null,
  'uuid 3f2a1b9c-0d4e-4f5a-8b6c-7d8e9f0a1b2c and 0xFF and deadbeefcafe1234',
  // Past the bounds of the scheme and mailbox patterns: both engines cut them the same way.
  `${'s'.repeat(40)}://host/path and ${'m'.repeat(70)}@${'d'.repeat(70)}.${'e'.repeat(70)}.org`,
  'x'.repeat(3000),
]

/** An exception payload: a sample's stack, or an awkward message with some sample's stack. */
export function exceptionPayload(rnd: () => number): string {
  const sample = pick(rnd, SAMPLES)
  const message = rnd() < 0.5 ? sample.message : pick(rnd, AWKWARD_MESSAGES)
  const stack =
    rnd() < 0.85 ? sample.stack.replaceAll(':1:', `:${Math.floor(rnd() * 9)}:`) : pick(rnd, [null, 7, ''])
  return rnd() < 0.05
    ? 'not json {'
    : JSON.stringify({ message, stack, filename: 'x.js', line: 1, column: 2 })
}

/**
 * Events with every filtered column varied, nulls and edge values included (a 64-bit org id, an
 * empty user name, names differing in case), a third of them exceptions.
 */
export function eventMix(count: number, seed = 1): EventRecord[] {
  const rnd = random(seed)
  const maybe = <T>(items: readonly T[]) => (rnd() < 0.2 ? null : pick(rnd, items))
  return Array.from({ length: count }, (_, i) => {
    const scope = pick(rnd, ['change:frame', 'send:exception', 'load:job', 'create:task', 'send:exception'])
    return {
      ...emptyRecord(),
      eventId: randomUUID(),
      scope,
      source: pick(rnd, ['client', 'server']),
      timestampMs: MIX_T0 + i * 1000,
      orgId: maybe(['7', '8', '18446744073709551615']),
      userId: maybe(['10', '13', '20']),
      userName: maybe(['walt', 'Walt', 'gina', '']),
      projectId: maybe(['1', '2']),
      taskId: maybe(['11', '21']),
      jobId: maybe(['101', '102', '201']),
      objName: maybe(['shape', 'track', '']),
      payload: scope === 'send:exception' ? exceptionPayload(rnd) : rnd() < 0.5 ? null : '{"a":1}',
    }
  })
}
