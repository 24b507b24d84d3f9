import { getIntrospectionQuery } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../src/observability/logger.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as } from '../support/fixtures.js'

let t: TestApp
const logLines: { level: string; message: string }[] = []

beforeAll(async () => {
  t = await startTestApp(
    { GRAPHQL_MAX_COST: '5000' },
    { log: createLogger('debug', (line) => logLines.push(JSON.parse(line) as never)) },
  )
})
afterAll(async () => {
  await t?.stop()
})

interface Answer {
  data?: unknown
  errors?: { message: string; extensions?: { code?: string } }[]
}

async function post(body: unknown, headers: Record<string, string> = as('admin'), accept?: string) {
  const res = await t.request('POST', '/graphql', {
    headers: { ...headers, ...(accept ? { accept } : {}), 'content-type': 'application/json' },
    raw: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, text, body: JSON.parse(text) as Answer, headers: res.headers }
}

const fragmentBomb = (levels: number) => {
  const fragments = Array.from({ length: levels }, (_, i) =>
    i === levels - 1
      ? `fragment F${i} on Query { viewer { username } }`
      : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
  )
  return `query Bomb { ...F0 }\n${fragments.join('\n')}`
}

describe('statuses of GraphQL request errors', () => {
  it.each([
    ['an empty body', {}],
    ['a body that is not JSON', '{"query": '],
    ['a syntax error', { query: '{ viewer { ' }],
    ['an unknown field', { query: '{ nope }' }],
    [
      'a variable that overflows Int',
      { query: 'query ($n: Int) { events(first: $n) { nodes { id } } }', variables: { n: 2 ** 40 } },
    ],
    ['an unknown operation name', { query: '{ viewer { username } }', operationName: 'Other' }],
  ])('answers %s with 400 for JSON clients too, never 200', async (_what, body) => {
    for (const accept of ['application/json', 'application/graphql-response+json', undefined]) {
      const answer = await post(body, as('admin'), accept)
      expect(answer.status, `${accept}: ${answer.text}`).toBe(400)
      expect(answer.body.errors?.length).toBeGreaterThan(0)
      expect(answer.headers.get('x-request-id')).toBeTruthy()
    }
  })

  it('answers a request error with the status of its code: 401 for anonymous callers', async () => {
    const answer = await post({ query: '{ viewer { username } }' }, {})
    expect(answer.status).toBe(401)
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
  })

  it('logs client mistakes at info at most; error is for our own faults', async () => {
    logLines.length = 0
    await post({ query: 'query ($n: Int) { events(first: $n) { nodes { id } } }', variables: { n: 2 ** 40 } })
    await post({ query: '{ viewer { ' })
    await post({ query: '{ nope }' })
    expect(logLines.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([])
  })
})

describe('anonymous callers learn nothing of the schema', () => {
  it.each([
    ['an unknown field', '{ evnts { nodes { id } } }'],
    ['a syntax error', '{ events { '],
    ['a document nested 100,000 levels deep', `${'{ a '.repeat(100_000)}${'}'.repeat(100_000)}`],
    ['introspection', '{ __schema { types { name } } }'],
  ])('answers %s from an anonymous caller with 401 before parsing', async (_what, query) => {
    const answer = await post({ query }, {})
    expect(answer.status).toBe(401)
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED')
    expect(answer.text).not.toMatch(/Cannot query|Syntax Error|events/)
  })

  it('hides "Did you mean" suggestions from signed-in callers too', async () => {
    const field = await post({ query: '{ evnts { nodes { id } } }' })
    expect(field.status).toBe(400)
    const variable = await post({
      query: 'query ($f: ExportFormat) { viewer { username } }',
      variables: { f: 'CSVV' },
    })
    expect(variable.status).toBe(400)
    expect(field.text + variable.text).not.toMatch(/Did you mean|events|CSV"/)
  })
})

describe('operation limits', () => {
  it('refuses a document nested deeper than the parser may go, before parsing it', async () => {
    const deep = `{ events(filter: ${'{ a: '.repeat(50_000)}1${' }'.repeat(50_000)}) { nodes { id } } }`
    const answer = await post({ query: deep })
    expect(answer.status).toBe(400)
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('TOO_COMPLEX')
  })

  it('refuses a document of more tokens than GRAPHQL_MAX_TOKENS', async () => {
    const answer = await post({ query: `{ ${'viewer { username } '.repeat(1000)}}` })
    expect(answer.status).toBe(400)
    expect(answer.body.errors?.[0]?.message).toContain('tokens')
  })

  it('refuses an exponential fragment expansion quickly, and /health answers meanwhile', async () => {
    const started = performance.now()
    const [answer, health] = await Promise.all([
      post({ query: fragmentBomb(26) }),
      t.request('GET', '/health'),
    ])
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(health.status).toBe(200)
    expect(answer.status).toBe(400)
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('TOO_COMPLEX')
  })

  it('counts a list without `first` as its default page, not as one item', async () => {
    // jobs (100 by default) × events (50 by default) × 2 fields is past GRAPHQL_MAX_COST (5000).
    const answer = await post({ query: '{ jobs { id events { nodes { id } } } }' })
    expect(answer.status).toBe(400)
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('TOO_COMPLEX')
    const small = await post({ query: '{ jobs(first: 5) { id events(first: 5) { nodes { id } } } }' })
    expect(small.status).toBe(200)
  })

  it("answers GraphiQL's own introspection query (about 15 levels deep)", async () => {
    const query = getIntrospectionQuery({
      descriptions: true,
      inputValueDeprecation: true,
      schemaDescription: true,
      directiveIsRepeatable: true,
      specifiedByUrl: true,
    })
    const answer = await post({ query, operationName: 'IntrospectionQuery' })
    expect(answer.status, answer.text.slice(0, 500)).toBe(200)
    const schema = (answer.body.data as { __schema: { queryType: { name: string } } }).__schema
    expect(schema.queryType.name).toBe('Query')
  })
})
