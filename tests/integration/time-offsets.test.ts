import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, bearer, TOKENS } from '../support/fixtures.js'

// The probe's finding: `2026-12-06T10:00:00+99:99` was stored as 2026-12-02T05:21:00Z, and a
// filter from such a time answered 200. Every input that takes a time refuses it, naming the field.

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t?.stop()
})

const BAD = ['2026-12-06T10:00:00+99:99', '2026-12-06T10:00:00+14:30', '2026-12-06T10:00:00-05:60']
const GOOD = ['2026-12-06T10:00:00+14:00', '2026-12-06T10:00:00-12:00', '2026-12-06T10:00:00+05:45']

interface Problem {
  code: string
  message: string
  field?: string
  errors?: { index?: number; field: string; message: string }[]
}

async function problem(res: Response): Promise<Problem> {
  expect(res.status).toBe(400)
  return (await res.json()) as Problem
}

const serverEvent = (timestamp: string) => [
  { scope: 'create:task', timestamp, source: 'server', payload: {} },
]

describe('server events', () => {
  it.each(BAD)('refuses %s with 400 naming the event and field, and stores nothing', async (time) => {
    const before = (await t.events()).length
    const res = await t.request('POST', '/api/events/server', {
      headers: { authorization: bearer(TOKENS.ingest) },
      body: serverEvent(time),
    })
    const body = await problem(res)
    expect(body.errors).toHaveLength(1)
    expect(body.errors?.[0]).toMatchObject({ index: 0, field: '[0].timestamp' })
    expect(body.errors?.[0]?.message).toMatch(/UTC offset .* is not one/)
    expect((await t.events()).length).toBe(before)
  })

  it.each(GOOD)('stores %s at its UTC time', async (time) => {
    const res = await t.request('POST', '/api/events/server', {
      headers: { authorization: bearer(TOKENS.ingest) },
      body: serverEvent(time),
    })
    expect(res.status).toBe(201)
    const rows = await t.events(
      "scope = 'create:task' AND timestamp = parseDateTime64BestEffort({t:String}, 3)",
      {
        t: new Date(Date.parse(time)).toISOString(),
      },
    )
    expect(rows.length).toBeGreaterThan(0)
  })
})

describe('client batches', () => {
  const batch = (eventTime: string, sentAt: string) => ({
    events: [{ scope: 'click:element', timestamp: eventTime }],
    timestamp: sentAt,
  })

  it.each(BAD)('refuses an event time of %s naming events[0].timestamp', async (time) => {
    const res = await t.request('POST', '/api/events', {
      headers: as('walt', 'acme'),
      body: batch(time, '2026-12-06T10:00:05Z'),
    })
    const body = await problem(res)
    expect(body.errors?.[0]).toMatchObject({ field: 'events[0].timestamp' })
    expect(body.errors?.[0]?.message).toMatch(/UTC offset .* is not one/)
  })

  it.each(BAD)('refuses a batch time of %s naming timestamp', async (time) => {
    const res = await t.request('POST', '/api/events', {
      headers: as('walt', 'acme'),
      body: batch('2026-12-06T10:00:00Z', time),
    })
    const body = await problem(res)
    expect(body.errors?.[0]).toMatchObject({ field: 'timestamp' })
  })

  it('refuses the same through the logEvents mutation, naming the field', async () => {
    const res = await t.request('POST', '/graphql', {
      headers: as('walt', 'acme'),
      body: {
        query: `mutation ($batch: ClientBatchInput!) {
          logEvents(batch: $batch) { ... on LogEventsRejected { errors { field message } } }
        }`,
        variables: { batch: batch(BAD[0] as string, '2026-12-06T10:00:05Z') },
      },
    })
    const body = (await res.json()) as {
      data: { logEvents: { errors: { field: string; message: string }[] } }
    }
    expect(body.data.logEvents.errors[0]).toMatchObject({ field: 'events[0].timestamp' })
    expect(body.data.logEvents.errors[0]?.message).toMatch(/offset/)
  })
})

describe('GraphQL DateTime inputs', () => {
  it.each(BAD)('refuses a filter literal from %s with 400 naming filter.from', async (time) => {
    const res = await t.request('POST', '/graphql', {
      headers: as('admin'),
      body: { query: `{ events(filter: { from: "${time}" }) { nodes { id } } }` },
    })
    const body = (await res.json()) as {
      data?: unknown
      errors: { message: string; extensions?: { field?: string } }[]
    }
    expect(res.status).toBe(400)
    expect(body.data ?? null).toBeNull()
    expect(body.errors[0]?.message).toMatch(/filter\.from/)
    expect(body.errors[0]?.message).toMatch(/offset/)
    expect(body.errors[0]?.extensions?.field).toBe('filter.from')
  })

  it.each(BAD)('refuses a variable of %s with 400 naming the variable and field', async (time) => {
    const res = await t.request('POST', '/graphql', {
      headers: as('admin'),
      body: {
        query: 'query ($f: EventFilter) { events(filter: $f) { nodes { id } } }',
        variables: { f: { to: time } },
      },
    })
    const body = (await res.json()) as { errors: { message: string }[] }
    expect(res.status).toBe(400)
    expect(body.errors[0]?.message).toMatch(/\$f.*f\.to|f\.to.*\$f/)
    expect(body.errors[0]?.message).toMatch(/offset/)
  })

  it('refuses an argument literal (an entity’s activity) naming the argument', async () => {
    const res = await t.request('POST', '/graphql', {
      headers: as('admin'),
      body: { query: `{ job(id: "1") { activity(interval: "1h", from: "${BAD[0]}") { count } } }` },
    })
    const body = (await res.json()) as { errors: { message: string; extensions?: { field?: string } }[] }
    expect(res.status).toBe(400)
    expect(body.errors[0]?.extensions?.field).toBe('from')
  })

  it.each(GOOD)('takes %s', async (time) => {
    const res = await t.request('POST', '/graphql', {
      headers: as('admin'),
      body: { query: `{ events(filter: { from: "${time}" }) { nodes { id } } }` },
    })
    expect(res.status).toBe(200)
  })
})

describe('REST export parameters', () => {
  it.each(BAD)('refuses from=%s with 400 naming from', async (time) => {
    const res = await t.request('GET', `/api/events?from=${encodeURIComponent(time)}`, {
      headers: as('admin'),
    })
    const body = await problem(res)
    expect(body.field).toBe('from')
    expect(body.message).toMatch(/offset/)
  })

  it('refuses to= on the newer flow and the working-time CSV too', async () => {
    const to = encodeURIComponent(BAD[1] as string)
    const started = await t.request('POST', `/api/events/export?to=${to}`, { headers: as('admin') })
    expect((await problem(started)).field).toBe('to')
    const csv = await t.request('GET', `/api/working-time.csv?to=${to}`, { headers: as('admin') })
    expect((await problem(csv)).field).toBe('to')
  })
})
