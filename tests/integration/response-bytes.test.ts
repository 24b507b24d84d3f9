import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { as } from '../support/fixtures.js'

// The probe's case, with the service's default limits: an ordinary user stores 4 events with a
// 5 MB obj_val, then asks for them 30 times over in one operation (~600 MB of answer).

let t: TestApp
const FIVE_MB = 5 * 1024 * 1024
const BIG = 'x'.repeat(FIVE_MB)
const probeQuery = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: events(first: 4) { nodes { objVal } }`).join(' ')} }`

interface Answer {
  data?: Record<string, { nodes: Record<string, unknown>[] }> | null
  errors?: { message: string; extensions?: { code?: string; limitBytes?: number } }[]
}

async function ask(query: string, variables: Record<string, unknown> = {}) {
  const res = await t.request('POST', '/graphql', { headers: as('walt', 'acme'), body: { query, variables } })
  const text = await res.text()
  return { status: res.status, bytes: text.length, body: JSON.parse(text) as Answer }
}

beforeAll(async () => {
  t = await startTestApp()
  for (let i = 0; i < 4; i++) {
    const now = new Date(Date.now() - i * 1000).toISOString()
    const res = await t.request('POST', '/api/events', {
      headers: as('walt', 'acme'),
      body: { events: [{ scope: 'click:element', timestamp: now, obj_val: BIG }], timestamp: now },
    })
    expect(res.status).toBe(201)
    expect(((await res.json()) as { events: { obj_val: string }[] }).events[0]?.obj_val).toHaveLength(FIVE_MB)
  }
}, 120_000)
afterAll(async () => {
  await t?.stop()
})

describe('an answer past GRAPHQL_MAX_RESPONSE_BYTES', () => {
  it('is RESPONSE_TOO_LARGE (400) naming the limit and how to page, without data', async () => {
    const answer = await ask(probeQuery)
    expect(answer.status).toBe(400)
    expect(answer.body.data ?? null).toBeNull()
    expect(answer.body.errors).toHaveLength(1)
    const [error] = answer.body.errors ?? []
    expect(error?.extensions?.code).toBe('RESPONSE_TOO_LARGE')
    expect(error?.extensions?.limitBytes).toBe(t.config.graphqlMaxResponseBytes)
    expect(error?.message).toContain(String(t.config.graphqlMaxResponseBytes))
    expect(error?.message).toMatch(/GRAPHQL_MAX_RESPONSE_BYTES/)
    expect(error?.message).toMatch(/`first`.*`after`/)
    expect(error?.message).toMatch(/maxLength/)
  })

  it('is an expected error: nothing is reported as a fault', async () => {
    const metrics = async () =>
      (await (await t.request('GET', '/metrics')).text()).match(/^analytics_internal_errors_total .*$/m)?.[0]
    const before = await metrics()
    expect(
      (await ask('{ a: events(first: 4) { nodes { objVal } } b: events(first: 4) { nodes { objVal } } }'))
        .status,
    ).toBe(400)
    expect(await metrics()).toBe(before)
    expect(await t.events("scope = 'send:exception'")).toEqual([])
  })

  it('is decided before the texts of every alias are read', async () => {
    const before = t.app.services.store.statementCounts.get('events.texts') ?? 0
    const pagesBefore = t.app.services.store.statementCounts.get('events.page') ?? 0
    expect((await ask(probeQuery)).status).toBe(400)
    // The first alias's texts (20 MB) fit; the second's do not, and are never read.
    expect((t.app.services.store.statementCounts.get('events.texts') ?? 0) - before).toBeLessThanOrEqual(1)
    // Pages still unread when the budget ran out are not read at all.
    const pages = (t.app.services.store.statementCounts.get('events.page') ?? 0) - pagesBefore
    expect(pages).toBeLessThan(30)
  })

  it('keeps memory bounded however often it is asked', async () => {
    const collect = globalThis.gc
    if (!collect) throw new Error('the memory project runs with --expose-gc (vitest.config.ts)')
    const MB = 2 ** 20
    /** What the service holds in JS: strings and objects (heap) and buffers (external). */
    const held = () => {
      const m = process.memoryUsage()
      return m.heapUsed + m.external
    }
    expect((await ask(probeQuery)).status).toBe(400) // warm-up: loaders, caches, the engine's buffers
    collect()
    const before = held()
    const rssBaseline = process.memoryUsage.rss()
    let rssPeak = rssBaseline
    const growth: number[] = []
    for (let round = 0; round < 4; round++) {
      // Each round starts from a collected heap, so its peak is what one answer allocates.
      collect()
      const start = held()
      let peak = start
      const sampler = setInterval(() => {
        peak = Math.max(peak, held())
        rssPeak = Math.max(rssPeak, process.memoryUsage.rss())
      }, 5)
      try {
        expect((await ask(probeQuery)).status).toBe(400)
      } finally {
        clearInterval(sampler)
      }
      growth.push((Math.max(peak, held()) - start) / MB)
    }
    // Buffers are released by finalizers after a collection: a turn of the loop, then again.
    collect()
    await new Promise((resolve) => setImmediate(resolve))
    collect()
    const retained = (held() - before) / MB
    console.log(
      `probe answer: JS growth per round ${growth.map((g) => g.toFixed(0)).join(', ')} MB, ` +
        `retained ${retained.toFixed(1)} MB, RSS growth ${((rssPeak - rssBaseline) / MB).toFixed(0)} MB`,
    )
    // Building one probe answer took ~600 MB (and 3.5 GB of RSS at 20 aliases); a bounded one holds
    // at most the limit of texts (32 MiB) plus their JSON on the way in.
    for (const g of growth) expect(g).toBeLessThan(200)
    // Asking again holds nothing more. One answer's texts (20 MB) may still be on their way out;
    // keeping each round's would hold 80 MB after four.
    expect(retained).toBeLessThan(40)
  }, 180_000)

  it('is held per operation when several are asked at once', async () => {
    const answers = await Promise.all([ask(probeQuery), ask('{ events(first: 4) { nodes { objVal } } }')])
    expect(answers.map((a) => a.status)).toEqual([400, 200])
  }, 120_000)
})

describe('answers within the limit', () => {
  it('bring texts a page left out when they are selected (4 × 5 MB)', async () => {
    const answer = await ask('{ events(first: 4) { nodes { objVal } } }')
    expect(answer.status).toBe(200)
    const values = answer.body.data?.events?.nodes.map((n) => n.objVal as string) ?? []
    expect(values.map((v) => v.length)).toEqual([FIVE_MB, FIVE_MB, FIVE_MB, FIVE_MB])
  })

  it('never count texts that are not selected', async () => {
    const query = `{ ${Array.from({ length: 10 }, (_, i) => `a${i}: events(first: 4) { nodes { id scope } }`).join(' ')} }`
    const answer = await ask(query)
    expect(answer.status).toBe(200)
    expect(Object.values(answer.body.data ?? {}).every((page) => page.nodes.length === 4)).toBe(true)
  })

  it('cut texts to maxLength, so that the probe’s 30 aliases fit', async () => {
    const query = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: events(first: 4) { nodes { objVal(maxLength: 100) } }`).join(' ')} }`
    const answer = await ask(query)
    expect(answer.status).toBe(200)
    const values = Object.values(answer.body.data ?? {}).flatMap((page) => page.nodes.map((n) => n.objVal))
    expect(values).toHaveLength(120)
    expect(values.every((v) => v === 'x'.repeat(100))).toBe(true)
    expect(answer.bytes).toBeLessThan(100_000)
  })

  it('refuse a negative maxLength, naming it', async () => {
    const answer = await ask('{ events(first: 1) { nodes { objVal(maxLength: -1) } } }')
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT')
    expect(answer.body.errors?.[0]?.message).toMatch(/maxLength/)
  })
})

describe('maxLength', () => {
  let base: string
  beforeAll(async () => {
    base = new Date(Date.UTC(2024, 0, 10, 12)).toISOString()
    const res = await t.request('POST', '/api/events', {
      headers: as('walt', 'acme'),
      body: {
        events: [
          {
            scope: 'click:element',
            timestamp: base,
            obj_name: 'name-ü',
            obj_val: '😀😀😀 and more',
            payload: JSON.stringify({ note: 'y'.repeat(100_000) }),
          },
        ],
        // Sent now: the event keeps its time (a client batch's times are corrected by the clock skew).
        timestamp: new Date().toISOString(),
      },
    })
    expect(res.status).toBe(201)
  })

  const one = (fields: string) =>
    ask(
      `query ($from: DateTime) { events(first: 1, filter: { from: $from }, orderBy: TIMESTAMP_ASC) { nodes { ${fields} } } }`,
      {
        from: new Date(Date.parse(base) - 60_000).toISOString(),
      },
    ).then((a) => {
      expect(a.status, JSON.stringify(a.body.errors)).toBe(200)
      return a.body.data?.events?.nodes[0] ?? {}
    })

  it('counts Unicode characters and never splits one', async () => {
    const node = await one('objVal(maxLength: 2) objName(maxLength: 6) whole: objVal')
    expect(node).toEqual({ objVal: '😀😀', objName: 'name-ü', whole: '😀😀😀 and more' })
  })

  it('answers a payload longer than it as the start of its text, and a shorter one as JSON', async () => {
    // 100 kB of payload: more than a row's share of a page, so it is left out and fetched.
    const node = await one('cut: payload(maxLength: 12) whole: payload long: payload(maxLength: 200000)')
    expect(node.cut).toBe(JSON.stringify(node.whole).slice(0, 12))
    expect((node.whole as { note: string }).note).toHaveLength(100_000)
    expect(node.long).toEqual(node.whole)
  })
})

describe('exceptions whose payload a page left out', () => {
  it('still answer their message, stack and group', async () => {
    const stack = `Error: boom\n${'    at frame (https://cvat.example/app.js:1:1)\n'.repeat(2_000)}`
    const time = new Date(Date.UTC(2024, 0, 11, 12)).toISOString()
    const res = await t.request('POST', '/api/events', {
      headers: as('walt', 'acme'),
      body: {
        events: [
          { scope: 'send:exception', timestamp: time, payload: JSON.stringify({ message: 'boom', stack }) },
        ],
        timestamp: new Date().toISOString(),
      },
    })
    expect(res.status).toBe(201)
    const query = `query ($from: DateTime, $to: DateTime) {
      exceptions(first: 1, filter: { from: $from, to: $to }) {
        nodes { message stack groupId event { exceptionGroupId } }
      }
    }`
    const answer = await ask(query, {
      from: new Date(Date.parse(time) - 60_000).toISOString(),
      to: new Date(Date.parse(time) + 60_000).toISOString(),
    })
    expect(answer.status, JSON.stringify(answer.body.errors)).toBe(200)
    const [node] = (answer.body.data as unknown as { exceptions: { nodes: Record<string, unknown>[] } })
      .exceptions.nodes
    expect(node?.message).toBe('boom')
    expect(node?.stack).toBe(stack)
    expect(node?.groupId).toMatch(/^[0-9a-f]+$/)
    expect((node?.event as { exceptionGroupId: string }).exceptionGroupId).toBe(node?.groupId)
  })
})
