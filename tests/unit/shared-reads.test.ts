import { describe, expect, it } from 'vitest'
import { createSharedReads } from '../../src/store/shared-reads.js'

/** A read that answers when told to, counting how often it was started. */
function gatedRead<T>(value: T) {
  const started: ((outcome: { value: T } | { error: Error }) => void)[] = []
  const read = () =>
    new Promise<T>((resolve, reject) => {
      started.push((o) => ('error' in o ? reject(o.error) : resolve(o.value)))
    })
  return { read, started, answer: (i = 0) => started[i]?.({ value }) }
}

describe('createSharedReads', () => {
  it('runs identical reads under way once, and different keys apart', async () => {
    const shared = createSharedReads(0)
    const gate = gatedRead(['a'])
    const first = shared.read('k', gate.read)
    const second = shared.read('k', gate.read)
    const other = shared.read('other', gate.read)
    expect(gate.started).toHaveLength(2)
    gate.answer(0)
    gate.answer(1)
    expect(await first).toEqual(['a'])
    expect(await second).toBe(await first)
    expect(await other).toEqual(['a'])
  })

  it('without a TTL, reads again once the read under way ended', async () => {
    const shared = createSharedReads(0)
    const gate = gatedRead(1)
    const first = shared.read('k', gate.read)
    gate.answer(0)
    await first
    const again = shared.read('k', gate.read)
    expect(gate.started).toHaveLength(2)
    gate.answer(1)
    expect(await again).toBe(1)
  })

  it('keeps an answer for the TTL, then reads again', async () => {
    let clock = 0
    const shared = createSharedReads(5_000, () => clock)
    const gate = gatedRead('x')
    const first = shared.read('k', gate.read)
    gate.answer(0)
    await first
    clock = 4_999
    expect(await shared.read('k', gate.read)).toBe('x')
    expect(gate.started).toHaveLength(1)
    clock = 5_000
    const later = shared.read('k', gate.read)
    expect(gate.started).toHaveLength(2)
    gate.answer(1)
    expect(await later).toBe('x')
  })

  it('never keeps a failure: every caller waiting gets it, the next one reads again', async () => {
    const shared = createSharedReads(5_000)
    const gate = gatedRead('y')
    const first = shared.read('k', gate.read)
    const joined = shared.read('k', gate.read)
    gate.started[0]?.({ error: new Error('engine gone') })
    await expect(first).rejects.toThrow('engine gone')
    await expect(joined).rejects.toThrow('engine gone')
    const again = shared.read('k', gate.read)
    expect(gate.started).toHaveLength(2)
    gate.answer(1)
    expect(await again).toBe('y')
  })

  it('tells a read under way or kept without reading, and nothing once it expired', async () => {
    let clock = 0
    const shared = createSharedReads(5_000, () => clock)
    expect(shared.joined('k')).toBeUndefined()
    const gate = gatedRead('z')
    const first = shared.read('k', gate.read)
    const under = shared.joined('k')
    gate.answer(0)
    expect(await under).toBe('z')
    await first
    clock = 4_999
    expect(await shared.joined('k')).toBe('z')
    clock = 5_000
    expect(shared.joined('k')).toBeUndefined()
    expect(gate.started).toHaveLength(1)
  })

  it('counts the asks of a key within the TTL, from 1 again after it', () => {
    let clock = 0
    const shared = createSharedReads(5_000, () => clock)
    expect(shared.asked('range')).toBe(1)
    expect(shared.asked('range')).toBe(2)
    expect(shared.asked('other')).toBe(1)
    clock = 4_999
    expect(shared.asked('range')).toBe(3)
    clock = 5_000
    expect(shared.asked('range')).toBe(1)
    expect(createSharedReads(0).asked('range')).toBe(1)
  })
})
