import { describe, expect, it } from 'vitest'
import { RunQueue } from '../../src/export/queue.js'

/** A queue whose jobs finish when the test says so. */
function harness(total: number, perOwner: number) {
  const running: string[] = []
  const finishers = new Map<string, () => void>()
  const queue = new RunQueue({ total, perOwner }, (id) => {
    running.push(id)
    return new Promise<void>((resolve) => {
      finishers.set(id, () => {
        running.splice(running.indexOf(id), 1)
        resolve()
      })
    })
  })
  const finish = async (id: string) => {
    finishers.get(id)?.()
    await new Promise((resolve) => setImmediate(resolve))
  }
  return { queue, running, finish }
}

describe('RunQueue', () => {
  it('runs at most `total` jobs at once, first come first served', async () => {
    const { queue, running, finish } = harness(2, 2)
    for (const id of ['a', 'b', 'c', 'd']) queue.push(id, id)
    expect(running).toEqual(['a', 'b'])
    await finish('a')
    expect(running).toEqual(['b', 'c'])
    await finish('b')
    await finish('c')
    expect(running).toEqual(['d'])
  })

  it('holds an owner to `perOwner` without holding up the owners queued behind it', async () => {
    const { queue, running, finish } = harness(3, 1)
    queue.push('x1', 'x')
    queue.push('x2', 'x')
    queue.push('y1', 'y')
    expect(running).toEqual(['x1', 'y1'])
    await finish('x1')
    expect(running).toEqual(['y1', 'x2'])
  })

  it('gives back the waiting jobs on drain and waits for the running ones on idle', async () => {
    const { queue, running, finish } = harness(1, 1)
    queue.push('a', 'o')
    queue.push('b', 'o')
    expect(queue.drain()).toEqual(['b'])
    let idle = false
    const waiting = queue.idle().then(() => {
      idle = true
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(idle).toBe(false)
    await finish('a')
    await waiting
    expect(idle).toBe(true)
    expect(running).toEqual([])
  })
})
