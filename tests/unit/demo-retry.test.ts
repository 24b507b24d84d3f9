import { describe, expect, it } from 'vitest'
import { createHttpSink, DemoSendError, historyWindow, simulate } from '../../src/demo/index.js'
import { createProgress } from '../../src/demo/progress.js'
import { retryAfterMs, type SinkWait } from '../../src/demo/retry.js'
import type { ClientSend, ServerSend } from '../../src/demo/sends.js'

// What the demo does when the service asks it to wait: the service here is a script of answers
// (the real service's 429s and 503s are tested in rate-limits, store-outages and the README
// walkthrough); what is tested is the client.

const simulation = simulate({ seed: 'retry', users: 3, window: historyWindow(Date.UTC(2026, 10, 26, 18), 1) })
const sends = [...simulation.sends()].map((s) => s.send)
const client = (n: number) => {
  const people = new Map<number, ClientSend>()
  for (const s of sends) if (s.kind === 'client' && !people.has(s.person.id)) people.set(s.person.id, s)
  const send = [...people.values()][n]
  if (!send) throw new Error(`no client send ${n}`)
  return send
}
const server = sends.find((s): s is ServerSend => s.kind === 'server')
if (!server) throw new Error('no server send')

interface Arrival {
  readonly path: string
  readonly user: string
  readonly at: number
}

/** A fetch that answers each request by the script for its path and user, then 201. */
function scripted(script: (arrival: Arrival, nth: number) => Response | Error | undefined) {
  const arrivals: Arrival[] = []
  const fetch = async (request: Request) => {
    const auth = request.headers.get('authorization') ?? ''
    const user = auth.startsWith('Basic ')
      ? Buffer.from(auth.slice(6), 'base64').toString().split(':')[0]!
      : 'token'
    const arrival = { path: new URL(request.url).pathname, user, at: Date.now() }
    const nth = arrivals.filter((a) => a.path === arrival.path && a.user === arrival.user).length
    arrivals.push(arrival)
    await request.text()
    const answer = script(arrival, nth)
    if (answer instanceof Error) throw answer
    return answer ?? new Response('{"stored":1}', { status: 201 })
  }
  return { arrivals, fetch }
}

const answer = (status: number, message: string, retryAfter?: string) =>
  new Response(
    JSON.stringify({ message, code: status === 429 ? 'TOO_MANY_REQUESTS' : 'STORE_UNAVAILABLE' }),
    {
      status,
      headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
    },
  )

const sinkFor = (
  fetch: (r: Request) => Promise<Response>,
  extra: Partial<Parameters<typeof createHttpSink>[0]> = {},
) => {
  const waits: SinkWait[] = []
  const sink = createHttpSink({
    url: 'http://demo.test',
    password: 'p',
    ingestToken: 'aat_t',
    concurrency: 4,
    fetch,
    onWait: (w) => waits.push(w),
    ...extra,
  })
  return { sink, waits }
}

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP-dates, and nothing else', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0)
    expect(retryAfterMs('42', now)).toBe(42_000)
    expect(retryAfterMs(' 0 ', now)).toBe(0)
    expect(retryAfterMs('Thu, 01 Jan 2026 12:00:30 GMT', now)).toBe(30_000)
    expect(retryAfterMs('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0)
    expect(retryAfterMs('soon', now)).toBeUndefined()
    expect(retryAfterMs(null, now)).toBeUndefined()
  })
})

describe('the demo as an HTTP client', () => {
  it('waits as long as a 429 or 503 asks, then sends the same events again, each once', async () => {
    const { arrivals, fetch } = scripted((a, nth) => {
      if (a.path === '/api/events/server' && nth === 0)
        return answer(429, 'more than 5 ingest requests a minute from this ingest token; slow down', '1')
      if (a.path === '/api/events' && nth === 0) return answer(503, 'the store is unavailable', '1')
      return undefined
    })
    const { sink, waits } = sinkFor(fetch)
    const batch = client(0)
    await sink.send(server)
    await sink.send(batch)
    await sink.drain()

    const serverTries = arrivals.filter((a) => a.path === '/api/events/server')
    const clientTries = arrivals.filter((a) => a.path === '/api/events')
    expect(serverTries).toHaveLength(2)
    expect(clientTries).toHaveLength(2)
    // Not before the service said.
    expect(serverTries[1]!.at - serverTries[0]!.at).toBeGreaterThanOrEqual(1_000)
    expect(clientTries[1]!.at - clientTries[0]!.at).toBeGreaterThanOrEqual(1_000)
    expect(waits.map((w) => [w.cause, w.request, w.reason])).toEqual(
      expect.arrayContaining([
        [
          429,
          'POST /api/events/server',
          'more than 5 ingest requests a minute from this ingest token; slow down',
        ],
        [
          503,
          `POST /api/events as ${batch.person.username} in '${batch.person.orgSlug}'`,
          'the store is unavailable',
        ],
      ]),
    )
  })

  it("holds back the limited person's requests only, not everyone's", async () => {
    const [a, b] = [client(0), client(1)]
    const { arrivals, fetch } = scripted((arrival, nth) =>
      arrival.user === a.person.username && nth === 0 ? answer(429, 'slow down', '1') : undefined,
    )
    const { sink, waits } = sinkFor(fetch)
    await sink.send(a)
    // b goes once a's pause has begun.
    await expect.poll(() => waits.length).toBe(1)
    await sink.send(b)
    await sink.drain()
    expect(arrivals.map((x) => x.user)).toEqual([a.person.username, b.person.username, a.person.username])
  })

  it('sends a request that got no answer again, and names the cause when it never does', async () => {
    const lost = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    })
    const once = scripted((_a, nth) => (nth === 0 ? lost : undefined))
    const first = sinkFor(once.fetch)
    await first.sink.send(server)
    await first.sink.drain()
    expect(once.arrivals).toHaveLength(2)
    expect(first.waits[0]).toMatchObject({
      cause: 'connection',
      reason: 'fetch failed (UND_ERR_SOCKET: other side closed)',
    })

    const never = scripted(() => lost)
    const second = sinkFor(never.fetch, { connectionAttempts: 2 })
    await second.sink.send(server)
    const failure = await second.sink.drain().catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(DemoSendError)
    expect((failure as Error).message).toMatch(
      /POST \/api\/events\/server got no answer \(2 tries\): fetch failed \(UND_ERR_SOCKET: other side closed\)\nIs the service still running at http:\/\/demo\.test\?/,
    )
  })

  it('gives up on a request that waited longer than maxWaitMs in all, saying so', async () => {
    const { fetch } = scripted(() => answer(503, 'the spool is full', '1'))
    const { sink } = sinkFor(fetch, { maxWaitMs: 1_500 })
    await sink.send(server)
    const failure = await sink.drain().catch((error: unknown) => error)
    expect(failure).toMatchObject({ status: 503 })
    expect((failure as Error).message).toMatch(
      /^POST \/api\/events\/server answered 503 \(still, after waiting 2 s as asked\): .*the spool is full/,
    )
  })
})

describe('progress while the service asks to wait', () => {
  it('says so at once, in the progress line, once per pause', () => {
    let now = 0
    const lines: string[] = []
    const progress = createProgress({ tty: false, write: (t) => lines.push(t), now: () => now })
    progress.update({ fraction: 0.2, events: 1_000, simulatedMs: Date.UTC(2026, 0, 5), pacedRemainingMs: 0 })
    const wait: SinkWait = {
      cause: 429,
      request: 'POST /api/events/server',
      reason: 'more than 1200 ingest requests a minute from this user; slow down',
      untilMs: 42_000,
    }
    progress.waiting(wait)
    progress.waiting({ ...wait, untilMs: 43_000 }) // the same pause, longer: no second line
    expect(lines).toEqual([
      ' 20% 1,000 events, 1,000,000 events/s, ETA 0:00, at 2026-01-05T00:00Z, waiting 42 s: 429 on POST /api/events/server: more than 1200 ingest requests a minute from this user; slow down\n',
    ])
    now = 50_000
    progress.update({ fraction: 0.3, events: 2_000, simulatedMs: Date.UTC(2026, 0, 5), pacedRemainingMs: 0 })
    expect(lines[1]).not.toContain('waiting')
  })
})
