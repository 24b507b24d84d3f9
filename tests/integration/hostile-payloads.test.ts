import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_PAYLOAD_CHARS, MAX_PAYLOAD_DEPTH } from '../../src/ingest/payload-limits.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, bearer, ORGS, TOKENS } from '../support/fixtures.js'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t?.stop()
})

/** `{"a":{"a":…{}…}}`, `levels` objects deep, as text (JSON.stringify would overflow on it). */
const deepText = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`

/** A value the body carries as a deep JSON object: sent as text spliced into the body. */
class Deep {
  constructor(readonly levels: number) {}
  toJSON() {
    return `@deep${this.levels}@`
  }
}
const deepObject = (levels: number) => new Deep(levels)

/** The JSON text of a body, with every Deep value spliced in as a real nested object. */
function bodyText(body: unknown): string {
  return JSON.stringify(body).replace(/"@deep(\d+)@"/g, (_m, n: string) => deepText(Number(n)))
}

function post(path: string, headers: Record<string, string>, body: unknown) {
  return t.request('POST', path, {
    headers: { ...headers, 'content-type': 'application/json' },
    raw: bodyText(body),
  })
}

const batch = (payload: unknown, extra: Record<string, unknown> = {}) => ({
  events: [
    { scope: 'click:element', timestamp: '2024-05-06T09:00:00.000Z', ...extra },
    { scope: 'click:element', timestamp: '2024-05-06T09:00:01.000Z', payload },
  ],
  timestamp: '2024-05-06T09:00:05.000Z',
})

interface Problem {
  code: string
  message: string
  errors: { index?: number; field: string; message: string }[]
}

async function stored(): Promise<number> {
  return (await t.events()).length
}

describe('payload limits at ingest', () => {
  it.each([
    ['as an object', deepObject(10_000)],
    ['as JSON text', deepText(10_000)],
  ])(
    'refuses a client payload nested 10,000 levels deep %s with 400 naming the event and field',
    async (_how, payload) => {
      const before = await stored()
      const res = await post('/api/events', as('walt', 'acme'), batch(payload))
      expect(res.status).toBe(400)
      const body = (await res.json()) as Problem
      expect(body.code).toBe('BAD_USER_INPUT')
      expect(body.errors.map(({ index, field }) => ({ index, field }))).toEqual([
        { index: 1, field: 'events[1].payload' },
      ])
      expect(body.errors[0]?.message).toContain('levels deep')
      expect(res.headers.get('x-request-id')).toBeTruthy()
      expect(await stored()).toBe(before)
    },
  )

  it('accepts a payload exactly at the depth limit and refuses one a level deeper', async () => {
    const ok = await t.request('POST', '/api/events', {
      headers: as('walt', 'acme'),
      body: batch(deepText(MAX_PAYLOAD_DEPTH)),
    })
    expect(ok.status).toBe(201)
    const deeper = await post('/api/events', as('walt', 'acme'), batch(deepObject(MAX_PAYLOAD_DEPTH + 1)))
    expect(deeper.status).toBe(400)
  })

  it('refuses a payload longer than the size limit', async () => {
    const res = await t.request('POST', '/api/events', {
      headers: as('walt', 'acme'),
      body: batch({ text: 'x'.repeat(MAX_PAYLOAD_CHARS) }),
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as Problem).errors[0]?.field).toBe('events[1].payload')
  })

  it('refuses deep server-event payloads with 400 naming the event', async () => {
    const res = await post('/api/events/server', { authorization: bearer(TOKENS.ingest) }, [
      { scope: 'create:task', timestamp: '2024-05-06T09:00:00.000Z', payload: deepObject(5_000) },
      { scope: 'create:job', timestamp: '2024-05-06T09:00:00.000Z', payload: deepText(5_000) },
    ])
    expect(res.status).toBe(400)
    const body = (await res.json()) as Problem
    expect(body.errors.map((e) => e.field)).toEqual(['[0].payload', '[1].payload'])
  })

  it('answers a deep payload through logEvents as a rejection naming the field', async () => {
    const res = await post('/graphql', as('walt', 'acme'), {
      query:
        'mutation ($b: ClientBatchInput!) { logEvents(batch: $b) { ... on LogEventsRejected { errors { index field } } } }',
      variables: { b: batch(deepObject(10_000)) },
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      data: { logEvents: { errors: [{ index: 1, field: 'events[1].payload' }] } },
    })
  })

  it('refuses a timestamp or scope given as a deep value with 400, not 500', async () => {
    const res = await post(
      '/api/events',
      as('walt', 'acme'),
      batch({}, { timestamp: deepObject(10_000), scope: [[['x']]] }),
    )
    expect(res.status).toBe(400)
    const fields = ((await res.json()) as Problem).errors.map((e) => e.field)
    expect(fields).toEqual(['events[0].scope', 'events[0].timestamp'])
  })

  it('refuses text with a lone surrogate, which UTF-8 cannot store', async () => {
    const res = await t.request('POST', '/api/events', {
      headers: { ...as('walt', 'acme'), 'content-type': 'application/json' },
      raw: JSON.stringify(batch({}, { obj_val: 'x' })).replace('"obj_val":"x"', '"obj_val":"\\ud800x"'),
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as Problem).errors[0]?.field).toBe('events[0].obj_val')
  })
})

describe('reading what is stored', () => {
  beforeAll(async () => {
    // Rows as an older version or another writer could have left them, bypassing ingest.
    const insert = (scope: string, payload: string, second: number) =>
      t.sql.command({
        name: 'test.insert-deep',
        sql: `INSERT INTO ${t.sql.database}.events (scope, source, timestamp, user_id, user_name, org_id, org_slug, payload)
              VALUES ({scope:String}, 'client', {ts:DateTime64(3)}, 13, 'walt', {org:UInt64}, 'acme', {payload:String})`,
        params: { scope, ts: `2024-05-07 10:00:0${second}.000`, org: ORGS.acme.id, payload },
      })
    await insert('load:cvat', deepText(10_000), 1)
    await insert('send:exception', `{"message":${deepText(10_000)},"stack":"at x"}`, 2)
  })

  const read = (query: string) =>
    t.request('POST', '/graphql', { headers: as('olivia', 'acme'), body: { query } })

  it('answers events { payload } of an organization holding a 10,000-deep payload, as text', async () => {
    const res = await read(
      '{ events(filter: { from: "2024-05-07T00:00:00Z", to: "2024-05-08T00:00:00Z" }) { nodes { scope payload } } }',
    )
    expect(res.status).toBe(200)
    const body = (await res.json()) as { data: { events: { nodes: { scope: string; payload: unknown }[] } } }
    const deep = body.data.events.nodes.find((n) => n.scope === 'load:cvat')
    expect(deep?.payload).toBe(deepText(10_000))
  })

  it('answers exceptions whose message is a deep value', async () => {
    const res = await read(
      '{ exceptions(filter: { from: "2024-05-07T00:00:00Z", to: "2024-05-08T00:00:00Z" }) { nodes { message stack event { payload } } } }',
    )
    expect(res.status).toBe(200)
    const body = (await res.json()) as { data: { exceptions: { nodes: { message: unknown }[] } } }
    expect(body.data.exceptions.nodes).toHaveLength(1)
  })

  it('answers platforms and filter options over the same rows', async () => {
    const res = await read(
      '{ platforms(filter: { from: "2024-05-07T00:00:00Z", to: "2024-05-08T00:00:00Z" }) { browsers { name } } filterOptions(filter: { from: "2024-05-07T00:00:00Z", to: "2024-05-08T00:00:00Z" }) { scopes } }',
    )
    expect(res.status).toBe(200)
  })
})
