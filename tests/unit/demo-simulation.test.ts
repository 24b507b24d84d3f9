import { beforeAll, describe, expect, it } from 'vitest'
import { readClientBatch } from '../../src/ingest/client-batch.js'
import { readServerEvents } from '../../src/ingest/server-events.js'
import { HEARTBEAT_SCOPE } from '../../src/domain/scopes.js'
import { CLIENT_SCOPES, COUNTED_SCOPES } from '../../src/ingest/scopes.js'
import { computeWorkingTime, IDLE_THRESHOLD_MS } from '../../src/ingest/working-time.js'
import { SAVE_INTERVAL_MS } from '../../src/demo/browser-log.js'
import {
  chooseSize,
  historyWindow,
  simulate,
  type ClientSend,
  type DemoSend,
  type Simulation,
} from '../../src/demo/index.js'
import { identityOf } from '../../src/demo/store-sink.js'
import { clientBatchBody, type SimEvent } from '../../src/demo/sends.js'

// A Thursday evening: the week's window holds five weekdays and a weekend.
const END = Date.UTC(2026, 10, 26, 18, 0)
const OPTIONS = { seed: 'unit', users: 9, window: historyWindow(END, 7) }
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

let simulation: Simulation
let sends: DemoSend[]
let batches: ClientSend[]
beforeAll(() => {
  simulation = simulate(OPTIONS)
  sends = [...simulation.sends()].map((s) => s.send)
  batches = sends.filter((s): s is ClientSend => s.kind === 'client')
})

/** Local wall-clock view of an event for its person. */
function local(person: ClientSend['person'], ms: number) {
  const d = new Date(ms + person.utcOffsetMinutes * MINUTE)
  return { weekday: d.getUTCDay(), hour: d.getUTCHours() + d.getUTCMinutes() / 60 }
}

/** Each person's client events in time order, per browser tab (a tab starts with a batch without previous_event). */
function tabsOf(all: readonly ClientSend[]): SimEvent[][][] {
  const tabs = new Map<number, ClientSend[][]>()
  for (const batch of all) {
    const own = tabs.get(batch.person.id) ?? []
    if (batch.previous === null || own.length === 0) own.push([])
    ;(own[own.length - 1] as ClientSend[]).push(batch)
    tabs.set(batch.person.id, own)
  }
  return [...tabs.values()].flatMap((personTabs) => personTabs.map((tab) => tab.map((b) => [...b.events])))
}

describe('demo simulation', () => {
  it('produces the same sends and truth for the same seed and options', () => {
    const again = simulate(OPTIONS)
    const replay = [...again.sends()].map((s) => s.send)
    const view = (list: DemoSend[]) =>
      JSON.stringify(list.map((s) => (s.kind === 'client' ? { ...s, person: s.person.username } : s)))
    expect(replay.length).toBe(sends.length)
    expect(view(replay)).toBe(view(sends))
    expect(again.truth.rows()).toEqual(simulation.truth.rows())
  })

  it('produces other events for another seed', () => {
    const other = simulate({ ...OPTIONS, seed: 'unit-2' })
    const first = [...other.sends()].find((s) => s.send.kind === 'client')?.send as ClientSend
    expect(JSON.stringify(first.events)).not.toBe(JSON.stringify(batches[0]?.events))
  })

  it('has people work on weekdays in office hours of their own time zone only', () => {
    const hours = new Set<number>()
    const outside: string[] = []
    for (const batch of batches) {
      for (const event of batch.events) {
        const { weekday, hour } = local(batch.person, event.timestampMs)
        if (weekday === 0 || weekday === 6 || hour < 6.5 || hour >= 21) {
          outside.push(`${batch.person.username} ${new Date(event.timestampMs).toISOString()}`)
        }
        hours.add(Math.floor(hour))
      }
    }
    expect(outside).toEqual([])
    expect(hours.size).toBeGreaterThan(7)
  })

  it('gives every worked day a lunch and short breaks, all longer than the 100 s idle threshold', () => {
    const { startMs, endMs } = OPTIONS.window
    const workerDays = new Map<string, number[]>()
    for (const batch of batches.filter((b) => b.person.orgRole === 'worker')) {
      for (const e of batch.events) {
        // Whole local days inside the window only: the first and last may be cut.
        const offset = batch.person.utcOffsetMinutes * MINUTE
        const midnight = Math.floor((e.timestampMs + offset) / DAY) * DAY - offset
        if (midnight < startMs || midnight + DAY > endMs) continue
        const key = `${batch.person.id}|${midnight}`
        workerDays.set(key, [...(workerDays.get(key) ?? []), e.timestampMs])
      }
    }
    expect(workerDays.size).toBeGreaterThanOrEqual(6)
    for (const times of workerDays.values()) {
      const gaps = times.slice(1).map((t, i) => t - (times[i] as number))
      expect(Math.max(...gaps)).toBeGreaterThanOrEqual(40 * MINUTE) // lunch
      expect(gaps.filter((g) => g >= 3 * MINUTE && g < 40 * MINUTE).length).toBeGreaterThanOrEqual(1) // breaks
      // Within sittings the person is busy: nearly every gap is under the threshold.
      expect(gaps.filter((g) => g < IDLE_THRESHOLD_MS).length).toBeGreaterThan(gaps.length * 0.97)
    }
  })

  it('logs only scopes of the client allow-list, counted ones with count >= 1, and every batch passes ingest at whole milliseconds', () => {
    const problems: unknown[] = []
    for (const batch of batches) {
      for (const e of batch.events) {
        if (!CLIENT_SCOPES.has(e.scope)) problems.push(`scope ${e.scope}`)
        if (COUNTED_SCOPES.has(e.scope) && !((e.count ?? 0) >= 1))
          problems.push(`${e.scope} count ${e.count}`)
        if (e.scope === 'change:frame' && !(e.duration > 0 && /^\d+$/.test(e.objVal ?? ''))) problems.push(e)
      }
      if (!Number.isInteger(batch.atMs)) problems.push(`sent at ${batch.atMs}`)
      const request = { requestId: 'r', userAgent: null, remoteAddr: null, receivedAtMs: batch.atMs }
      const result = readClientBatch(clientBatchBody(batch, batch.atMs), identityOf(batch.person), request, {
        maxEvents: 10_000,
        echo: false,
      })
      if (!result.ok) problems.push(result.errors)
    }
    expect(problems).toEqual([])
  })

  it('sends server rows that pass ingest, at whole milliseconds', () => {
    const problems: unknown[] = []
    // A window of 13 days too: task creation times fall at fractions of it.
    const odd = simulate({ seed: 'rows', users: 3, window: historyWindow(END, 13) })
    for (const send of [...sends, ...[...odd.sends()].map((s) => s.send)]) {
      if (send.kind !== 'server') continue
      if (!Number.isInteger(send.atMs)) problems.push(send.atMs)
      const request = { requestId: 'r', userAgent: null, remoteAddr: null, receivedAtMs: send.atMs }
      const result = readServerEvents(send.rows, request, { maxEvents: 10_000 })
      if (!result.ok) problems.push(result.errors)
    }
    expect(problems).toEqual([])
  })

  it("posts each tab's batches every ~90 s, each naming the last event of the tab's batch before", () => {
    const lastOf = new Map<number, ClientSend>()
    let linked = 0
    for (const batch of batches) {
      const first = batch.events[0] as SimEvent
      const before = lastOf.get(batch.person.id)
      // An event enters the log when it closes (a frame change once its frame has loaded) and
      // leaves with the next save after that.
      const closedAt = batch.events.map((e) => e.timestampMs + (e.scope === 'change:frame' ? e.duration : 0))
      expect(Math.max(...closedAt)).toBeLessThanOrEqual(batch.atMs)
      if (batch.previous !== null)
        expect(Math.min(...closedAt)).toBeGreaterThanOrEqual((before as ClientSend).atMs)
      if (batch.previous === null) expect(first.scope).toBe('load:cvat')
      else {
        expect(batch.previous).toBe(before?.events[before.events.length - 1])
        const apart = batch.atMs - (before as ClientSend).atMs
        expect(apart).toBeGreaterThanOrEqual(SAVE_INTERVAL_MS)
        expect(apart % SAVE_INTERVAL_MS).toBeLessThan(Math.ceil(apart / SAVE_INTERVAL_MS) * 1_000)
        linked++
      }
      lastOf.set(batch.person.id, batch)
    }
    expect(linked).toBeGreaterThan(batches.length * 0.9)
  })

  it('logs load:cvat with the browser platform, load:job on opening a job, exceptions with message and stack', () => {
    const all = batches.flatMap((b) => b.events)
    const loads = all.filter((e) => e.scope === 'load:cvat')
    expect(loads.length).toBeGreaterThan(10)
    for (const e of loads) {
      const { platform } = JSON.parse(e.payload ?? '{}') as { platform: Record<string, unknown> }
      expect(Object.keys(platform).sort()).toEqual(['engine', 'name', 'os', 'version'])
      expect(Object.values(platform).every((v) => typeof v === 'string' && v !== '')).toBe(true)
    }
    expect(all.filter((e) => e.scope === 'load:job').every((e) => e.jobId !== null)).toBe(true)
    const exceptions = all.filter((e) => e.scope === 'send:exception')
    expect(exceptions.length).toBeGreaterThan(0)
    for (const e of exceptions) {
      const keys = Object.keys(JSON.parse(e.payload ?? '{}') as object)
      expect(['message', 'filename', 'line', 'column', 'stack'].filter((k) => !keys.includes(k))).toEqual([])
    }
  })

  it('makes change:frame the most common event, with draws, undos, zooms and periodic saves', () => {
    const scopes = simulation.stats.scopes()
    expect(scopes[0]?.[0]).toBe('change:frame')
    const count = (scope: string) => simulation.stats.byScope.get(scope) ?? 0
    expect(count('draw:object')).toBeGreaterThan(count('action:undo') * 5)
    expect(count('action:undo')).toBeGreaterThan(0)
    expect(count('zoom:image')).toBeGreaterThan(0)
    expect(count('save:job')).toBeGreaterThan(count('load:job') / 2)
    expect(simulation.stats.heartbeats).toBeGreaterThan(0)
    expect(count(HEARTBEAT_SCOPE)).toBe(0)
  })

  it('shares one request id across a cascade: delete project, its tasks, their jobs; create task, its jobs', () => {
    const server = sends.filter((s) => s.kind === 'server')
    const requestOf = (row: Record<string, unknown>) =>
      (JSON.parse(row.payload as string) as { request: { id: string } }).request.id
    const deletion = server.find((s) => s.rows[0]?.scope === 'delete:project')
    expect(deletion?.rows.map((r) => r.scope)).toEqual([
      'delete:project',
      'delete:task',
      'delete:job',
      'delete:job',
    ])
    expect(new Set(deletion?.rows.map(requestOf)).size).toBe(1)
    const creation = server.filter((s) => s.rows[0]?.scope === 'create:task')
    expect(creation.length).toBeGreaterThan(2)
    for (const send of creation) {
      expect(send.rows.slice(1).every((r) => r.scope === 'create:job')).toBe(true)
      expect(new Set(send.rows.map(requestOf)).size).toBe(1)
    }
    const ids = new Set(server.map((s) => requestOf(s.rows[0] as Record<string, unknown>)))
    expect(ids.size).toBe(server.length)
  })

  it("knows the truth: per user CVAT's rule equals the model's time minus the pauses of 100 s or more", () => {
    const perUser = new Map<number, { model: number; cvat: number; idle: number; role: string }>()
    for (const row of simulation.truth.rows()) {
      const role = simulation.world.people.find((p) => p.id === row.userId)?.orgRole ?? ''
      const u = perUser.get(row.userId) ?? { model: 0, cvat: 0, idle: 0, role }
      u.model += row.modelMs
      u.cvat += row.cvatMs
      u.idle += row.idleMs
      perUser.set(row.userId, u)
    }
    expect(perUser.size).toBe(OPTIONS.users)
    for (const u of perUser.values()) {
      expect(u.cvat).toBe(u.model - u.idle)
      if (u.role === 'worker') {
        expect(u.cvat).toBeGreaterThan(10 * 3_600_000)
        expect(u.idle).toBeGreaterThan(0)
        expect(u.cvat).toBeGreaterThan(0.8 * u.model)
      }
    }
  })

  it("chains batches so that CVAT's rule per batch equals the rule over each tab's whole stream", () => {
    let perBatch = 0
    for (const row of simulation.truth.rows()) perBatch += row.cvatMs
    let whole = 0
    for (const tab of tabsOf(batches)) {
      const events = tab.flat().map((e) => ({
        ...e,
        jobId: String(e.jobId),
        taskId: String(e.taskId),
        projectId: String(e.projectId),
      }))
      whole += computeWorkingTime(events).buckets.reduce((sum, b) => sum + b.ms, 0)
    }
    expect(perBatch).toBe(whole)
  })
})

describe('chooseSize', () => {
  it('sizes the window for a target number of events within a few percent', () => {
    const size = chooseSize({ seed: 'size', endMs: END, users: 6, events: 60_000 })
    expect(size.users).toBe(6)
    const run = simulate({ seed: 'size', users: size.users, window: historyWindow(END, size.days) })
    for (const _ of run.sends());
    expect(run.stats.storedRows).toBeGreaterThan(60_000 * 0.85)
    expect(run.stats.storedRows).toBeLessThan(60_000 * 1.2)
  })

  it('grows the team instead when the days are fixed', () => {
    const small = chooseSize({ seed: 'size', endMs: END, days: 7, events: 30_000 })
    const large = chooseSize({ seed: 'size', endMs: END, days: 7, events: 200_000 })
    expect(small.days).toBe(7)
    expect(large.users).toBeGreaterThanOrEqual(small.users * 3)
  })
})
