import { readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import type { AuthorizedFilter, EventFilter } from '../../src/domain/filter.js'
import { readClientBatch } from '../../src/ingest/client-batch.js'
import { createStore, serializeEvent, type Store } from '../../src/store/index.js'
import { tempDir } from '../support/app.js'

/**
 * Working time recomputed from the stored rows (store/productivity-activity.ts) against CVAT's own
 * unit cases (working-time-cases.json): each case is one person's batch (a case's previous event
 * is that person's batch before), ingested by the ingest code, then recomputed at CVAT's 100 s
 * over the case's range.
 */

interface CaseEvent {
  scope: string
  t: number
  duration?: number
  job_id: number
}
interface Case {
  name: string
  previous_event?: CaseEvent
  events: CaseEvent[]
  expected_total_ms: number
}

const cases = (
  JSON.parse(readFileSync(new URL('../fixtures/working-time-cases.json', import.meta.url), 'utf8')) as {
    cases: Case[]
  }
).cases
const ORIGIN = Date.UTC(2024, 0, 1, 12)

let dir: string
let store: Store

const wire = (e: CaseEvent) => ({
  scope: e.scope,
  timestamp: new Date(ORIGIN + e.t).toISOString(),
  duration: e.duration ?? 0,
  job_id: e.job_id,
  ...(e.scope === 'change:frame' ? { count: 1 } : {}),
})

async function ingest(userId: string, events: CaseEvent[], previous: CaseEvent | null, sentAt: number) {
  const body = {
    events: events.map(wire),
    ...(previous ? { previous_event: wire(previous) } : {}),
    timestamp: new Date(sentAt).toISOString(),
  }
  const result = readClientBatch(
    body,
    { userId, userName: `case${userId}`, userEmail: null, orgId: '7', orgSlug: 'acme' },
    { requestId: `r${userId}-${sentAt}`, userAgent: null, remoteAddr: null, receivedAtMs: sentAt },
    { maxEvents: 100, echo: false },
  )
  if (!result.ok) throw new Error(JSON.stringify(result.errors))
  await store.ingest.insert({ body: result.batch.records.map(serializeEvent).join('\n') })
}

beforeAll(async () => {
  dir = await tempDir('aa-rule-')
  store = createStore(loadConfig({ DATA_DIR: dir }).store)
  await store.migrate()
  for (const [i, c] of cases.entries()) {
    const user = String(100 + i)
    // The previous event is the person's batch before, sent when it closed.
    if (c.previous_event) await ingest(user, [c.previous_event], null, ORIGIN + 1)
    await ingest(user, c.events, c.previous_event ?? null, ORIGIN + 3_600_000)
  }
}, 120_000)
afterAll(async () => {
  await store.close()
  await rm(dir, { recursive: true, force: true })
})

/** Each case's user's working time over the case's own events, at `idleMs` (null: CVAT's stored). */
async function perCase(idleMs: number | null): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const [i, c] of cases.entries()) {
    const from = ORIGIN + Math.min(...c.events.map((e) => e.t))
    const to = ORIGIN + 3_600_000
    const people: EventFilter = { userIds: [String(100 + i)], from, to }
    const filter = people as AuthorizedFilter
    const answer = await store.productivity.rows({ filter, from, to, groups: [], idleMs, maxGroups: 10 })
    out[c.name] = answer.rows[0]?.workingMs ?? 0
  }
  return out
}

describe("working time recomputed from stored rows (CVAT's cases)", () => {
  it("gives CVAT's result for every case at 100 s, the previous batch's event counted as the person's", async () => {
    expect(await perCase(100_000)).toEqual(
      Object.fromEntries(cases.map((c) => [c.name, c.expected_total_ms])),
    )
  })

  it('drops a gap as long as the cutoff or longer, and counts one shorter', async () => {
    const at99 = await perCase(99_000)
    const at101 = await perCase(101_000)
    expect(at99['two instant events 99.999 s apart']).toBe(0)
    expect(at101['two instant events exactly 100 s apart']).toBe(100_000)
    // An hour's cutoff counts the long gap between the two frame changes.
    expect((await perCase(3_600_000))['two change:frame with a long gap']).toBeGreaterThan(
      cases.find((c) => c.name === 'two change:frame with a long gap')?.expected_total_ms ?? Infinity,
    )
  })
})
