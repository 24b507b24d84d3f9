import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, bearer, TOKENS } from '../support/fixtures.js'
import { sseSubscribe } from '../support/live.js'

// GRAPHQL_MAX_RESPONSE_BYTES set low, so that every kind of answer can pass it: texts counted as
// they are returned, answers of many small fields, the working-time and productivity CSVs and
// ingest's echo.

const LIMIT = 64 * 1024
let t: TestApp
const DAY = Date.UTC(2024, 2, 4)

beforeAll(async () => {
  t = await startTestApp({ GRAPHQL_MAX_RESPONSE_BYTES: String(LIMIT) })
  // 3000 jobs with working time: a CSV of 3000 rows (~100 kB) and a page of 1000 events, each past 64 KiB.
  const rows = Array.from({ length: 3_000 }, (_, i) => ({
    scope: 'send:working_time',
    source: 'server',
    timestamp: new Date(DAY + i * 1000).toISOString(),
    duration: 60_000,
    user_id: 13,
    user_name: 'walt',
    org_id: 7,
    project_id: 1,
    task_id: 2,
    job_id: 1_000 + i,
    payload: { working_time: 60_000 },
  }))
  const res = await t.request('POST', '/api/events/server', {
    headers: { authorization: bearer(TOKENS.ingest) },
    body: rows,
  })
  expect(res.status).toBe(201)
}, 120_000)
afterAll(async () => {
  await t?.stop()
})

const range = `from=${new Date(DAY - 1000).toISOString()}&to=${new Date(DAY + 86_400_000).toISOString()}`

interface Answer {
  data?: unknown
  errors?: { message: string; extensions?: { code?: string } }[]
}

async function ask(query: string) {
  const res = await t.request('POST', '/graphql', { headers: as('admin'), body: { query } })
  return { status: res.status, body: (await res.json()) as Answer }
}

describe('GraphQL answers', () => {
  it('of many small fields are RESPONSE_TOO_LARGE once past the limit, and fine below it', async () => {
    const filter = `filter: { from: "${new Date(DAY - 1000).toISOString()}", scopes: ["send:working_time"] }`
    const big = await ask(`{ events(first: 1000, ${filter}) { nodes { id scope timestamp jobId } } }`)
    expect(big.status).toBe(400)
    expect(big.body.errors?.[0]?.extensions?.code).toBe('RESPONSE_TOO_LARGE')
    expect(big.body.errors?.[0]?.message).toContain(String(LIMIT))
    const small = await ask(`{ events(first: 100, ${filter}) { nodes { id scope timestamp jobId } } }`)
    expect(small.status).toBe(200)
  })

  it('of large texts count them as they are returned (10 events of 10 kB objVal)', async () => {
    const time = new Date(DAY + 2 * 86_400_000).toISOString()
    const events = Array.from({ length: 10 }, () => ({
      scope: 'click:element',
      timestamp: time,
      obj_val: 'v'.repeat(10_000),
    }))
    const sent = await t.request('POST', '/api/events', {
      headers: { ...as('walt', 'acme'), prefer: 'return=minimal' },
      body: { events, timestamp: new Date().toISOString() },
    })
    expect(sent.status).toBe(201)
    const filter = `filter: { from: "${time}", scopes: ["click:element"] }`
    const whole = await ask(
      `{ a: events(first: 10, ${filter}) { nodes { objVal } } b: events(first: 10, ${filter}) { nodes { objVal } } }`,
    )
    expect(whole.status).toBe(400)
    expect(whole.body.errors?.[0]?.extensions?.code).toBe('RESPONSE_TOO_LARGE')
    const cut = await ask(
      `{ a: events(first: 10, ${filter}) { nodes { objVal(maxLength: 100) } } b: events(first: 10, ${filter}) { nodes { objVal(maxLength: 100) } } }`,
    )
    expect(cut.status).toBe(200)
  })

  it('pushed by a subscription are each held to the limit on their own', async () => {
    const { url } = await t.app.start()
    const document = parse('subscription { events { objVal } }') as TypedDocumentNode<
      { events: { objVal: string | null } },
      Record<string, never>
    >
    const live = sseSubscribe(url, document, {}, as('walt', 'acme'))
    expect((await live.response).status).toBe(200)
    // Three events of 30 kB each, in three batches: 90 kB in all, each within 64 KiB.
    for (let i = 0; i < 3; i++) {
      await expect
        .poll(async () => {
          const now = new Date().toISOString()
          const res = await t.request('POST', '/api/events', {
            headers: { ...as('walt', 'acme'), prefer: 'return=minimal' },
            body: {
              events: [{ scope: 'click:element', timestamp: now, obj_val: String(i).repeat(30_000) }],
              timestamp: now,
            },
          })
          return res.status === 201 && live.results.length > i
        })
        .toBe(true)
    }
    live.stop()
    expect(live.results.slice(0, 3).map((r) => r.errors)).toEqual([undefined, undefined, undefined])
    expect(live.data.slice(0, 3).map((d) => d.events.objVal?.length)).toEqual([30_000, 30_000, 30_000])
  })
})

describe('REST answers that are not streamed', () => {
  it('the working-time CSV is RESPONSE_TOO_LARGE past the limit, naming how to ask for less', async () => {
    const res = await t.request('GET', `/api/working-time.csv?${range}`, { headers: as('admin') })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { code: string; message: string; limitBytes: number }
    expect(body).toMatchObject({ code: 'RESPONSE_TOO_LARGE', limitBytes: LIMIT })
    expect(body.message).toMatch(/narrow the range or the filters, or group by fewer columns/)
  })

  it('the working-time CSV within the limit is whole', async () => {
    const res = await t.request('GET', `/api/working-time.csv?${range}&group_by=user`, {
      headers: as('admin'),
    })
    expect(res.status).toBe(200)
    const lines = (await res.text()).trim().split('\r\n')
    expect(lines).toEqual(['user_id,user_name,hours,working_time_ms,actions', '13,walt,50.0000,180000000,0'])
  })

  it('the productivity CSV is RESPONSE_TOO_LARGE past the limit, and whole within it', async () => {
    const big = await t.request('GET', `/api/productivity.csv?${range}&group_by=job`, {
      headers: as('admin'),
    })
    expect(big.status).toBe(400)
    expect(await big.json()).toMatchObject({ code: 'RESPONSE_TOO_LARGE', limitBytes: LIMIT })
    const small = await t.request('GET', `/api/productivity.csv?${range}&group_by=user`, {
      headers: as('admin'),
    })
    expect(small.status).toBe(200)
    const lines = (await small.text()).trim().split('\r\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(/^13,walt,0,0,0,0,0,0,50\.000,0\.000,0,0,$/)
  })

  it('an echo past the limit is answered in the minimal form; the events are stored', async () => {
    const now = new Date().toISOString()
    const res = await t.request('POST', '/api/events', {
      headers: as('walt', 'acme'),
      body: {
        events: [{ scope: 'click:element', timestamp: now, obj_val: 'e'.repeat(70_000) }],
        timestamp: now,
      },
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ stored: 1 })
    expect(await t.events("obj_val = repeat('e', 70000)")).toHaveLength(1)
  })
})
