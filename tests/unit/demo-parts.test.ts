import { describe, expect, it } from 'vitest'
import { planDay } from '../../src/demo/calendar.js'
import { mergeByTime } from '../../src/demo/merge.js'
import { createPacer } from '../../src/demo/pacer.js'
import { createProgress, duration } from '../../src/demo/progress.js'
import { Random } from '../../src/demo/random.js'
import { formatTruth } from '../../src/demo/truth-table.js'
import { buildWorld, demoUsername, MAX_USERS } from '../../src/demo/world.js'

describe('Random', () => {
  it('repeats its sequence for the same key and differs for another', () => {
    const draw = (...key: (string | number)[]) => {
      const rng = new Random(...key)
      return Array.from({ length: 5 }, () => rng.next())
    }
    expect(draw('s', 1)).toEqual(draw('s', 1))
    expect(draw('s', 1)).not.toEqual(draw('s', 2))
    expect(draw('s', 1)).not.toEqual(draw('s1'))
  })

  it('keeps draws in range and makes version-4-shaped ids', () => {
    const rng = new Random('range')
    const ints = Array.from({ length: 2_000 }, () => rng.int(3, 7))
    expect(Math.min(...ints)).toBe(3)
    expect(Math.max(...ints)).toBe(7)
    expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const mean = Array.from({ length: 5_000 }, () => rng.poisson(2)).reduce((a, b) => a + b, 0) / 5_000
    expect(mean).toBeGreaterThan(1.9)
    expect(mean).toBeLessThan(2.1)
  })
})

describe('demo world', () => {
  it('names people by position only, so accounts are the same for every seed', () => {
    const a = buildWorld('one', 20)
    const b = buildWorld('two', 20)
    expect(a.people.map((p) => [p.username, p.id, p.orgSlug, p.orgRole])).toEqual(
      b.people.map((p) => [p.username, p.id, p.orgSlug, p.orgRole]),
    )
    expect(a.people.map((p) => p.habits)).not.toEqual(b.people.map((p) => p.habits))
    const names = new Set(Array.from({ length: MAX_USERS }, (_, i) => demoUsername(i)))
    expect(names.size).toBe(MAX_USERS)
  })

  it('gives every organization an owner, a supervisor and workers', () => {
    for (const users of [3, 7, 12, 40]) {
      const world = buildWorld('roles', users)
      expect(world.people).toHaveLength(users)
      for (const org of world.organizations) {
        const roles = org.members.map((m) => m.orgRole)
        expect(roles[0]).toBe('owner')
        expect(roles).toContain('supervisor')
        expect(roles).toContain('worker')
      }
    }
    expect(buildWorld('roles', 12).organizations.length).toBeGreaterThan(1)
    expect(() => buildWorld('roles', 2)).toThrow(RangeError)
  })
})

describe('planDay', () => {
  it('has no blocks on weekends and breaks of at least three minutes between blocks', () => {
    const person = buildWorld('days', 3).people[2]
    if (!person) throw new Error('no person')
    const rng = new Random('days')
    const saturday = Date.UTC(2026, 10, 28) - person.utcOffsetMinutes * 60_000
    expect(planDay(person, saturday, rng)).toEqual([])
    let weekdayBlocks = 0
    for (let d = 0; d < 5; d++) {
      const blocks = planDay(person, saturday + (d + 2) * 86_400_000, rng)
      weekdayBlocks += blocks.length
      blocks
        .slice(1)
        .forEach((b, i) => expect(b.startMs - (blocks[i]?.endMs ?? 0)).toBeGreaterThanOrEqual(180_000))
    }
    expect(weekdayBlocks).toBeGreaterThanOrEqual(8)
  })
})

describe('mergeByTime', () => {
  it('merges ordered streams into one ordered stream, ties to the stream listed first', () => {
    const stream = (tag: string, times: number[]) => times.map((atMs) => ({ atMs, tag }))[Symbol.iterator]()
    const merged = [...mergeByTime([stream('a', [1, 5, 5, 9]), stream('b', [0, 5, 10]), stream('c', [])])]
    expect(merged.map((m) => `${m.atMs}${m.tag}`)).toEqual(['0b', '1a', '5a', '5a', '5b', '9a', '10b'])
  })
})

describe('pacing and progress', () => {
  it('paces simulated time at the given factor from the start of the window', () => {
    let now = 1_000_000
    const pacer = createPacer(60, 0, () => now)
    expect(pacer.until(0)).toBeNull()
    expect(pacer.remainingMs(60_000)).toBe(1_000)
    now += 1_000
    expect(pacer.until(60_000)).toBeNull()
    expect(createPacer('max', 0).until(1e12)).toBeNull()
  })

  it('rewrites one line on a terminal and prints plain lines elsewhere', () => {
    let now = 0
    const tty: string[] = []
    const plain: string[] = []
    const report = { fraction: 0.25, events: 5_000, simulatedMs: Date.UTC(2026, 0, 5), pacedRemainingMs: 0 }
    const onTty = createProgress({ tty: true, write: (t) => tty.push(t), now: () => now })
    const onPipe = createProgress({
      tty: false,
      write: (t) => plain.push(t),
      now: () => now,
      plainIntervalMs: 5_000,
    })
    now = 1_000
    onTty.update(report)
    onPipe.update(report)
    expect(tty[0]?.startsWith('\r\u001b[2K')).toBe(true)
    expect(tty[0]).toMatch(/\[######\.{18}\] {2}25% 5,000 events, 5,000 events\/s, ETA 0:03/)
    expect(plain).toEqual([])
    now = 6_000
    onPipe.update(report)
    expect(plain[0]).toMatch(/^ 25% 5,000 events, 833 events\/s, ETA 0:18, at 2026-01-05T00:00Z\n$/)
    onTty.finish({ ...report, fraction: 1 })
    expect(tty[tty.length - 1]).toMatch(/\[#{24}\] 100% .*\n$/)
    expect(duration(3_723_000)).toBe('1:02:03')
  })
})

describe('formatTruth', () => {
  it('prints a line per user and job with totals per user', () => {
    const row = {
      userId: 1001,
      username: 'amara.k',
      orgSlug: 'northwind',
      taskId: 1,
      projectId: 1,
      manualObjects: 5,
      importedObjects: 0,
      automaticObjects: 7,
      objectsUpdated: 2,
      objectsDeleted: 1,
      undo: 3,
      redo: 0,
    }
    const text = formatTruth([
      { ...row, jobId: null, taskId: null, projectId: null, modelMs: 0, cvatMs: 4_000, idleMs: 0 },
      { ...row, jobId: 3, modelMs: 3_600_000, cvatMs: 3_476_000, idleMs: 120_000 },
    ])
    expect(text).toContain('amara.k (total)')
    expect(text).toMatch(/amara\.k\s+northwind\s+3\s+1\s+1\s+1:00:00\s+0:57:56\s+0:02:00\s+-0:02:04/)
    expect(text).toMatch(
      /amara\.k \(total\)\s+northwind\s+-\s+-\s+-\s+1:00:00\s+0:58:00\s+0:02:00\s+-0:02:00\s+10\s+0\s+14\s+4\s+2\s+6\s+0/,
    )
  })
})
