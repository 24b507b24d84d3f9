import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, bearer, TOKENS } from '../support/fixtures.js'

/**
 * Property-based: generated hostile requests (bodies, headers, paths, variables) never get a 5xx,
 * always get a JSON answer with a request id, never hang, never store part of a refused batch,
 * and never keep /health from answering promptly. A fixed seed and a bounded number of cases in
 * `npm test`; FUZZ_RUNS=5000 (and FUZZ_SEED) for a longer run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150)
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_130)
const ANSWER_WITHIN_MS = 5_000
/**
 * /health must answer within 250 ms throughout. These machines are shared, so the bound is also at
 * least ten times the slowest /health answer measured just before the generated requests start,
 * in the same run: a request that blocks the event loop for a second still fails it, a busy
 * neighbour does not (at 100 ms, one answer of 116 ms failed a CI run at load 9 whose quiet
 * answers had been under 10 ms).
 */
const HEALTH_WITHIN_MS = 250
let healthBoundMs = HEALTH_WITHIN_MS

let t: TestApp
let slowestHealthMs = 0
let pinging = true
let pinger: Promise<void>

beforeAll(async () => {
  t = await startTestApp({
    // Generated credentials are mostly wrong: keep the sign-in and rate limits out of the way.
    AUTH_FAILURES_PER_ADDR: '1000000',
    AUTH_FAILURES_PER_USER: '1000000',
    RATE_LIMIT_INGEST: '0',
    RATE_LIMIT_GRAPHQL: '0',
    RATE_LIMIT_EXPORTS: '10000',
  })
  // Warm the credential caches, so the pinger measures the service and not the first hashes.
  for (const person of ['admin', 'walt', 'olivia'] as const)
    await t.request('GET', '/api/requests/x', { headers: as(person) })
  let quietSlowest = 0
  for (let i = 0; i < 25; i++) {
    const started = performance.now()
    await (await t.request('GET', '/health')).arrayBuffer()
    quietSlowest = Math.max(quietSlowest, performance.now() - started)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  healthBoundMs = Math.max(HEALTH_WITHIN_MS, 10 * quietSlowest)
  pinger = (async () => {
    while (pinging) {
      const started = performance.now()
      const res = await t.request('GET', '/health')
      await res.arrayBuffer()
      slowestHealthMs = Math.max(slowestHealthMs, performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  })()
}, 60_000)

afterAll(async () => {
  pinging = false
  await pinger
  await t?.stop()
})

/** Values an attacker or a careless client puts anywhere. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    '',
    '0',
    '-1',
    '1e309',
    'NaN',
    "'; DROP TABLE events; --",
    '{{7*7}}${7*7}',
    '../../../../etc/passwd',
    '\u0000',
    '\ud800',
    '%E0%A4%A',
    '<script>alert(1)</script>',
    'send:exception',
    '2024-05-06T09:00:00Z',
    '9999-12-31T23:59:59Z',
    '18446744073709551616',
  ),
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, Number.MAX_VALUE, -0),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constant('x'.repeat(70_000)),
  fc.integer({ min: 50, max: 3_000 }).map((n) => ({ deep: n })), // spliced as real nesting, see bodyText
  fc.jsonValue({ maxDepth: 3 }),
)

class Deep {
  constructor(readonly levels: number) {}
  toJSON() {
    return `@deep${this.levels}@`
  }
}
const withDeep = (value: unknown): unknown =>
  value !== null && typeof value === 'object' && 'deep' in value && Object.keys(value).length === 1
    ? new Deep((value as { deep: number }).deep)
    : value

/** JSON text of a body, with Deep values spliced in as nested arrays and objects. */
function bodyText(body: unknown): string {
  return JSON.stringify(body, (_key, value: unknown) => withDeep(value)).replace(
    /"@deep(\d+)@"/g,
    (_m, n: string) => `${'[{"a":'.repeat(Number(n))}1${'}]'.repeat(Number(n))}`,
  )
}

const fieldNames = [
  'scope',
  'timestamp',
  'duration',
  'count',
  'job_id',
  'task_id',
  'project_id',
  'obj_name',
  'obj_id',
  'obj_val',
  'payload',
  'user_id',
  'org_id',
  'source',
  'previous_event',
]

const event = fc.dictionary(fc.constantFrom(...fieldNames), hostile, { maxKeys: 8 }).map((fields) => ({
  scope: 'click:element',
  timestamp: '2024-05-06T09:00:00.000Z',
  ...fields,
}))

const clientBatch = fc.record(
  {
    events: fc.oneof(fc.array(event, { maxLength: 4 }), hostile),
    timestamp: fc.oneof(fc.constant('2024-05-06T09:00:05.000Z'), hostile),
  },
  { requiredKeys: [] },
)

/** Bytes that are not UTF-8, spliced into otherwise plausible text. */
const invalidUtf8 = fc.constantFrom(
  Buffer.from([0xc0, 0x80]),
  Buffer.from([0xff]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xe0, 0xa4]),
)

const body: fc.Arbitrary<string | Buffer | undefined> = fc.oneof(
  clientBatch.map(bodyText),
  fc.array(event, { maxLength: 3 }).map(bodyText),
  hostile.map(bodyText),
  fc
    .tuple(clientBatch.map(bodyText), invalidUtf8)
    .map(([text, bad]) => Buffer.concat([Buffer.from(text.slice(0, 20)), bad, Buffer.from(text.slice(20))])),
  fc.string({ maxLength: 200 }), // not JSON at all
  fc.constant(undefined),
)

const credentials = fc.constantFrom<Record<string, string>>(
  as('admin'),
  as('walt', 'acme'),
  as('olivia', 'acme'),
  as('walt', 'globex'),
  as('walt', 'no-such-org'),
  { authorization: bearer(TOKENS.ingest) },
  { authorization: bearer(TOKENS.waltRead) },
  { authorization: 'Basic !!!' },
  { authorization: `Basic ${Buffer.from('admin').toString('base64')}` },
  { authorization: 'Bearer \u00ff' },
  { authorization: 'Digest x' },
  {},
)

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=latin1',
  'application/x-ndjson',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  'application/graphql',
)

const restPath = fc.oneof(
  fc.constantFrom(
    '/api/events',
    '/api/events/server',
    '/api/events/export',
    '/api/events/download',
    '/graphql',
    '/health',
    '/ready',
    '/metrics',
  ),
  fc
    .tuple(
      fc.constantFrom(
        '/api/requests/',
        '/api/events?query_id=',
        '/api/events?job_id=',
        '/api/events?from=',
        '/api/events/download?rq_id=',
        '/api/events?org_id=',
        '/api/events?filename=',
      ),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.constantFrom('%E0%A4%A', '%00', '..%2F..%2F', '-1', '18446744073709551616', '%ZZ'),
      ),
    )
    .map(([a, b]) => `${a}${b}`),
  fc.webPath().map((p) => p || '/'),
)

/** The request as sent: through the app's fetch, raw bytes when the body is a Buffer. */
interface Sent {
  method: string
  path: string
  headers: Record<string, string>
  body: string | Buffer | undefined
}

async function send(request: Sent): Promise<Response> {
  let url: string
  try {
    url = new URL(`http://test.local${request.path}`).href
  } catch {
    url = 'http://test.local/'
  }
  const init: RequestInit = { method: request.method, headers: request.headers }
  if (request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD')
    init.body = typeof request.body === 'string' ? request.body : new Uint8Array(request.body)
  const answer = t.app.fetch(new Request(url, init))
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS),
  )
  return Promise.race([answer, timeout])
}

/** What every answer must be, and for ingest: all of the batch stored, or none of it. */
async function checkAnswer(request: Sent, res: Response): Promise<void> {
  const what = `${request.method} ${request.path} → ${res.status}`
  expect(res.status, what).toBeLessThan(500)
  const requestId = res.headers.get('x-request-id')
  expect(requestId, what).toBeTruthy()
  const text = await res.text()
  // The web pages (`/`, and a browser's navigation to one of them) are HTML; every other answer is JSON.
  const isPage = res.status === 200 && (res.headers.get('content-type') ?? '').startsWith('text/html')
  const isJsonAnswer =
    (request.path === '/metrics' && res.status === 200) || isPage
      ? false
      : request.method !== 'HEAD' && res.status !== 201 && !/download|action=/.test(request.path)
  if (isJsonAnswer && res.status !== 204)
    expect(() => JSON.parse(text) as unknown, `${what}: ${text.slice(0, 200)}`).not.toThrow()
  if (request.method === 'POST' && /^\/api\/events(\/server)?$/.test(request.path)) {
    const [row] = await t.sql.rows<{ n: string }>({
      name: 'test.count-request',
      sql: `SELECT count() AS n FROM ${t.sql.database}.events WHERE request_id = {id:String}`,
      params: { id: requestId },
    })
    const stored = Number(row?.n ?? 0)
    if (res.status >= 400) expect(stored, `${what}: refused, yet stored`).toBe(0)
    else {
      // `Prefer: return=minimal` (and server events) answer how many were written: all of them are there.
      const written = (JSON.parse(text) as { stored?: number }).stored
      if (written !== undefined) expect(stored, `${what}: answered ${written} written`).toBe(written)
    }
  }
}

describe('hostile input', () => {
  it('answers generated REST requests with 4xx (never 5xx), JSON and a request id, storing all or nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'PATCH'),
        restPath,
        credentials,
        contentType,
        body,
        async (method, path, auth, type, payload) => {
          const headers: Record<string, string> = { ...auth, ...(type ? { 'content-type': type } : {}) }
          const request = { method, path, headers, body: payload }
          await checkAnswer(request, await send(request))
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    )
    expect(slowestHealthMs).toBeLessThan(healthBoundMs)
  }, 300_000)

  it('validates generated ingest batches whole: stored entirely (2xx) or not at all (4xx)', async () => {
    const ingest = fc.oneof(
      fc.tuple(
        fc.constant('/api/events'),
        fc.constantFrom(as('walt', 'acme'), as('nora')),
        clientBatch.map(bodyText),
      ),
      fc.tuple(
        fc.constant('/api/events/server'),
        fc.constant({ authorization: bearer(TOKENS.ingest) }),
        fc.array(event, { minLength: 1, maxLength: 4 }).map(bodyText),
      ),
    )
    await fc.assert(
      fc.asyncProperty(ingest, async ([path, auth, text]) => {
        const request = {
          method: 'POST',
          path,
          headers: { ...auth, 'content-type': 'application/json' },
          body: text,
        }
        await checkAnswer(request, await send(request))
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    )
    expect(slowestHealthMs).toBeLessThan(healthBoundMs)
  }, 300_000)

  const operations = [
    'query Q($f: EventFilter, $n: Int, $a: String) { events(filter: $f, first: $n, after: $a) { nodes { id payload } } }',
    'query Q($f: EventFilter, $i: String!) { activity(filter: $f, interval: $i) { buckets { count } } }',
    'query Q($f: EventFilter) { workingTime(filter: $f) { hours userId } }',
    'query Q($f: EventFilter, $n: Int) { exceptions(filter: $f, first: $n) { nodes { message stack } } }',
    'query Q($id: ID!) { job(id: $id) { eventCount } export(queryId: $id) { status } }',
    'mutation M($b: ClientBatchInput!) { logEvents(batch: $b) { __typename ... on LogEventsRejected { errors { field } } } }',
    'mutation M($f: EventFilter, $name: String) { startExport(filter: $f, filename: $name) { queryId } }',
  ]

  const filter = fc.dictionary(
    fc.constantFrom(
      'from',
      'to',
      'orgIds',
      'projectIds',
      'taskIds',
      'jobIds',
      'userIds',
      'userNames',
      'scopes',
      'sources',
      'objNames',
      'hasJob',
      'nope',
    ),
    fc.oneof(hostile, fc.array(hostile, { maxLength: 3 })),
    { maxKeys: 4 },
  )

  const variables = fc.record(
    {
      f: fc.oneof(filter, hostile),
      n: hostile,
      a: hostile,
      i: fc.oneof(fc.constantFrom('1h', '1s', '1ms', '0', '-1h', '99999999d'), hostile),
      id: hostile,
      name: hostile,
      b: fc.oneof(clientBatch, hostile),
    },
    { requiredKeys: [] },
  )

  const document = fc.oneof(
    fc.constantFrom(...operations),
    fc
      .tuple(fc.constantFrom(...operations), fc.nat(200), fc.string({ maxLength: 5 }))
      .map(([op, at, junk]) => op.slice(0, at) + junk + op.slice(at)),
    fc.integer({ min: 10, max: 5_000 }).map((n) => `${'{ a '.repeat(n)}${'}'.repeat(n)}`),
    fc.string({ maxLength: 100 }),
  )

  it('answers generated GraphQL operations and variables with 4xx or data (never 5xx), JSON and a request id', async () => {
    await fc.assert(
      fc.asyncProperty(document, variables, credentials, fc.boolean(), async (query, vars, auth, asGet) => {
        const request: Sent = asGet
          ? {
              method: 'GET',
              path: `/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(bodyText(vars))}`,
              headers: auth,
              body: undefined,
            }
          : {
              method: 'POST',
              path: '/graphql',
              headers: { ...auth, 'content-type': 'application/json' },
              body: bodyText({ query, variables: vars }),
            }
        await checkAnswer(request, await send(request))
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    )
    expect(slowestHealthMs).toBeLessThan(healthBoundMs)
  }, 300_000)
})
