import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cvatCoreBatch, cvatCoreEvent, withLoggerFields } from '../../src/demo/cvat-wire.js'
import { CVAT_CLIENT_SCOPES_VERSION } from '../../src/ingest/scopes.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, bearer, TOKENS } from '../support/fixtures.js'

/*
 * What cvat-core posts to POST /api/events (cvat-core/src/logger-storage.ts `save`, event.ts
 * `Event.dump()`): `{events, previous_event, timestamp}`, every event `{scope, timestamp:
 * toISOString(), <obj_name, obj_id, obj_val, count, duration, project_id, task_id, job_id when its
 * payload has them>, payload: JSON.stringify(rest of the payload)}`, the logger's `client_id` and
 * `is_active` in every payload; `previous_event` is the last event of the previous save (absent
 * before the first); `timestamp` and the events' times are the browser's clock.
 * CVAT's server (cvat/apps/events/serializers.py `ClientEventsSerializer`) corrects the times by
 * receive time − `timestamp`, refuses (400) a scope its source may not send — `client` is the only
 * source with scopes, so `"source": "server"` is refused — and fills in the identity.
 */

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t.stop()
})

const post = (body: unknown) => t.request('POST', '/api/events', { headers: as('walt', 'acme'), body })
const job = { project_id: 1, task_id: 11, job_id: 101 }

describe("client batches as CVAT's server validates them", () => {
  it("stores a batch as cvat-core builds it: payload as JSON text, previous_event, the browser's clock", async () => {
    // The browser's clock is 3 minutes fast; CVAT corrects every time by the batch's own timestamp.
    const skew = 180_000
    const now = Date.now()
    const browser = (ms: number) => ms + skew
    const previous = cvatCoreEvent('click:element', browser(now - 40_000), { ...job, obj_val: 'Save' }, '{}')
    const frame = cvatCoreEvent(
      'change:frame',
      browser(now - 10_000),
      { ...job, count: 1, duration: 4_000 },
      withLoggerFields('{"from":3,"to":4,"step":1}', '281945', true),
    )
    const body = cvatCoreBatch(
      [frame],
      { ...previous, payload: '{"client_id":"281945","is_active":true}' },
      browser(now),
    )
    expect(Object.keys(frame)).toEqual([
      'scope',
      'timestamp',
      'count',
      'duration',
      'project_id',
      'task_id',
      'job_id',
      'payload',
    ])
    const res = await post(body)
    expect(res.status).toBe(201)
    const requestId = res.headers.get('x-request-id') as string

    const [stored] = await t.events("request_id = {id:String} AND scope = 'change:frame'", { id: requestId })
    expect(Math.abs(Date.parse(`${stored?.timestamp}`) - (now - 10_000))).toBeLessThan(2_000)
    // Our ingest endpoints record their request in the payload; the client's fields are kept.
    expect(JSON.parse(stored?.payload ?? '{}')).toMatchObject({
      client_id: '281945',
      is_active: true,
      from: 3,
      to: 4,
      step: 1,
      request: { id: requestId },
    })
    // previous_event counts: 30 s before the frame (a short gap) plus the frame's 4 s.
    const [time] = await t.events("request_id = {id:String} AND scope = 'send:working_time'", {
      id: requestId,
    })
    expect(time?.duration).toBe(34_000)
  })

  it('refuses a client event claiming "source": "server" with 400, storing none of the batch', async () => {
    const res = await post(
      cvatCoreBatch(
        [
          cvatCoreEvent('zoom:image', Date.now(), job, '{"tag":"fine"}'),
          { ...cvatCoreEvent('draw:object', Date.now(), job, '{"tag":"forged"}'), source: 'server' },
        ],
        null,
        Date.now(),
      ),
    )
    expect(res.status).toBe(400)
    const body = (await res.json()) as {
      code: string
      errors: { index: number; field: string; message: string }[]
    }
    expect(body.code).toBe('BAD_USER_INPUT')
    expect(body.errors).toEqual([
      {
        index: 1,
        field: 'events[1].source',
        message: expect.stringContaining('not allowed from a client') as string,
      },
    ])
    expect(await t.events('payload LIKE \'%"tag":"f%\'')).toEqual([])
  })

  it('takes "source": "client" and no source at all', async () => {
    const res = await post(
      cvatCoreBatch(
        [
          { ...cvatCoreEvent('fit:image', Date.now(), job, '{}'), source: 'client' },
          cvatCoreEvent('fit:image', Date.now(), job, '{}'),
        ],
        null,
        Date.now(),
      ),
    )
    expect(res.status).toBe(201)
  })

  it.each(['restore:job', 'send:task_info', 'upload:annotations', 'change:label', 'press:shortcut'])(
    'refuses %s, a scope current CVAT no longer accepts from clients, with 400 naming the CVAT it follows',
    async (scope) => {
      const res = await post(cvatCoreBatch([cvatCoreEvent(scope, Date.now(), job, '{}')], null, Date.now()))
      expect(res.status).toBe(400)
      const body = (await res.json()) as { errors: { field: string; message: string }[] }
      expect(body.errors[0]?.field).toBe('events[0].scope')
      expect(body.errors[0]?.message).toContain('no longer accepted from a client')
      expect(body.errors[0]?.message).toContain(CVAT_CLIENT_SCOPES_VERSION)
    },
  )

  it('still refuses a scope CVAT never knew', async () => {
    const res = await post(
      cvatCoreBatch([cvatCoreEvent('mine:bitcoin', Date.now(), job, '{}')], null, Date.now()),
    )
    expect(res.status).toBe(400)
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]?.message).toBe(
      "'mine:bitcoin' is not allowed from a client",
    )
  })
})

describe("browser clocks far off, as CVAT's server corrects them", () => {
  const YEAR = 365.25 * 86_400_000
  /** Sends one click as cvat-core would from a browser whose clock reads `browserNow`. */
  async function clickFrom(browserNow: number, eventAt = browserNow - 1_000) {
    const res = await post(
      cvatCoreBatch(
        [
          cvatCoreEvent(
            'click:element',
            eventAt,
            { ...job, obj_val: 'Save' },
            withLoggerFields('{}', '4711', true),
          ),
        ],
        null,
        browserNow,
      ),
    )
    const requestId = res.headers.get('x-request-id') as string
    const stored = res.status === 201 ? await t.events('request_id = {id:String}', { id: requestId }) : []
    return { res, stored }
  }

  it.each([
    ['1970 (a reset clock)', Date.UTC(1970, 0, 1, 0, 0, 10)],
    ['1999', Date.UTC(1999, 5, 1)],
    ['40 years ahead', Date.now() + 40 * YEAR],
  ])(
    'stores the events of a browser whose clock says %s near the server time',
    async (_label, browserNow) => {
      const before = Date.now()
      const { res, stored } = await clickFrom(browserNow)
      expect(res.status).toBe(201)
      expect(stored).toHaveLength(1)
      const at = Date.parse(`${stored[0]?.timestamp}`)
      expect(at).toBeGreaterThanOrEqual(before - 1_000 - 50)
      expect(at).toBeLessThanOrEqual(Date.now())
    },
  )

  it("takes the issue's batch: a 1970 clock, event and batch nine and ten seconds after its start", async () => {
    const res = await post({
      events: [{ scope: 'click:element', timestamp: '1970-01-01T00:00:09Z', payload: '{}' }],
      timestamp: '1970-01-01T00:00:10Z',
    })
    expect(res.status).toBe(201)
    const [event] = ((await res.json()) as { events: { timestamp: string }[] }).events
    expect(Math.abs(Date.parse(event?.timestamp ?? '') - (Date.now() - 1_000))).toBeLessThan(5_000)
  })

  it('stores an event in 1999 as CVAT does, when that is its time once corrected', async () => {
    // A right clock, an event recorded long ago (a tab left open since, say): CVAT keeps 1999.
    const { res, stored } = await clickFrom(Date.now(), Date.UTC(1999, 11, 31, 23, 59, 59))
    expect(res.status).toBe(201)
    expect(stored[0]?.timestamp).toMatch(/^1999-12-31T23:59:5\d/)
  })

  it('refuses an event before 1970 once corrected, naming the field, both times and why', async () => {
    const { res } = await clickFrom(Date.now(), Date.UTC(1969, 6, 20))
    expect(res.status).toBe(400)
    const body = (await res.json()) as { errors: { field: string; message: string }[] }
    expect(body.errors[0]?.field).toBe('events[0].timestamp')
    expect(body.errors[0]?.message).toMatch(
      /^is 1969-07-20T.* once corrected .* before 1970 or after 2099 cannot be stored$/,
    )
  })

  it('refuses a negative id, naming the field (CVAT takes it, and its UInt64 column then refuses the row)', async () => {
    const res = await post(
      cvatCoreBatch(
        [cvatCoreEvent('click:element', Date.now(), { ...job, job_id: -1 }, '{}')],
        null,
        Date.now(),
      ),
    )
    expect(res.status).toBe(400)
    const body = (await res.json()) as { errors: { field: string; message: string }[] }
    expect(body.errors[0]).toMatchObject({
      field: 'events[0].job_id',
      message: expect.stringContaining('UInt64') as unknown,
    })
  })
})

describe('what CVAT stores, we store (our own ingest endpoints)', () => {
  it('stores a count of 70000 and a 100,000-character obj_val whole, and stamps its own request id', async () => {
    const comment = 'é'.repeat(100_000)
    const res = await t.request('POST', '/api/events/server', {
      headers: { authorization: bearer(TOKENS.ingest) },
      body: [
        {
          scope: 'create:shapes',
          timestamp: '1716393600.123456',
          obj_name: 'polygon',
          count: 70_000,
          job_id: 4711,
          payload: '{"shapes":[]}',
        },
        { scope: 'create:comment', timestamp: '1716393600.2', obj_val: comment, job_id: 4711 },
      ],
    })
    expect(res.status).toBe(201)
    const requestId = res.headers.get('x-request-id') as string
    const stored = await t.events('job_id = 4711')
    expect(stored.map((e) => [e.scope, e.count, e.obj_val?.length ?? null])).toEqual([
      ['create:shapes', 70_000, null],
      ['create:comment', null, 100_000],
    ])
    expect(stored.every((e) => e.request_id === requestId)).toBe(true)
  })

  it('refuses a count GraphQL could not carry, naming the field', async () => {
    const res = await post(
      cvatCoreBatch(
        [cvatCoreEvent('delete:object', Date.now(), { ...job, count: 2 ** 31 }, '{}')],
        null,
        Date.now(),
      ),
    )
    expect(res.status).toBe(400)
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('events[0].count')
  })
})
