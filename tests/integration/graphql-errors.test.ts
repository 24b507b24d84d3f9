import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GraphQLError } from 'graphql'
import { createErrorMask } from '../../src/pipeline/error-mask.js'
import { QueryTimeoutError, StoreUnavailableError } from '../../src/errors.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { basic } from '../support/fixtures.js'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({
    CORS_ORIGINS: 'https://grafana.example.com',
    GRAPHQL_MAX_DEPTH: '4',
    GRAPHQL_MAX_ALIASES: '3',
    GRAPHQL_MAX_COST: '5000',
  })
})
afterAll(async () => {
  await t.stop()
})

async function run(
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = { authorization: basic('admin') },
) {
  const res = await t.request('POST', '/graphql', { headers, body: { query, variables } })
  return {
    status: res.status,
    body: (await res.json()) as {
      data?: unknown
      errors?: { message: string; extensions?: Record<string, unknown> }[]
    },
    headers: res.headers,
  }
}

describe('operation limits', () => {
  it('refuses an operation deeper than GRAPHQL_MAX_DEPTH with TOO_COMPLEX and 400', async () => {
    const { status, body } = await run('{ jobs(first: 1) { events(first: 1) { edges { node { id } } } } }')
    expect(status).toBe(400)
    expect(body.errors?.[0]?.extensions?.code).toBe('TOO_COMPLEX')
    expect(body.errors?.[0]?.message).toContain('deep')
  })

  it('refuses too many aliases', async () => {
    const { status, body } = await run(
      '{ a: viewer { username } b: viewer { username } c: viewer { username } d: viewer { username } }',
    )
    expect(status).toBe(400)
    expect(body.errors?.[0]?.message).toContain('aliases')
  })

  it('refuses an operation whose page sizes multiply past GRAPHQL_MAX_COST, also through variables', async () => {
    const query = 'query ($n: Int) { jobs(first: $n) { id events(first: $n) { nodes { id scope } } } }'
    const big = await run(query, { n: 100 })
    expect(big.status).toBe(400)
    expect(big.body.errors?.[0]?.extensions?.code).toBe('TOO_COMPLEX')
    const small = await run(query, { n: 5 })
    expect(small.status).toBe(200)
  })
})

describe('error codes', () => {
  it('answers an unknown field with a GraphQL validation error and 400', async () => {
    const { status, body } = await run('{ nope }')
    expect(status).toBe(400)
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED')
  })

  it('maps a store timeout to QUERY_TIMEOUT with HTTP 504, and unreachability to STORE_UNAVAILABLE', () => {
    const mask = createErrorMask()
    const timeout = mask(
      new GraphQLError('x', {
        originalError: new QueryTimeoutError('analytics.activity', 30_000),
        path: ['activity'],
      }),
      'Unexpected error.',
    )
    expect((timeout as GraphQLError).extensions).toMatchObject({
      code: 'QUERY_TIMEOUT',
      http: { status: 504 },
    })
    expect((timeout as GraphQLError).path).toEqual(['activity'])
    const down = mask(
      new GraphQLError('x', { originalError: new StoreUnavailableError('down') }),
      'Unexpected error.',
    )
    expect((down as GraphQLError).extensions).toMatchObject({
      code: 'STORE_UNAVAILABLE',
      http: { status: 503 },
    })
  })

  it('masks unexpected errors: no message or stack reaches the caller', () => {
    const mask = createErrorMask()
    const masked = mask(
      new GraphQLError('secret detail', { originalError: new Error('secret detail at /etc/passwd') }),
      'Unexpected error.',
    )
    expect(masked.message).toBe('Unexpected error.')
    expect(JSON.stringify((masked as GraphQLError).toJSON())).not.toContain('secret')
  })
})

describe('transport', () => {
  it('serves GraphiQL to a browser without credentials', async () => {
    const res = await t.request('GET', '/graphql', { headers: { accept: 'text/html' } })
    expect(res.status).toBe(200)
    const page = await res.text()
    expect(page).toContain('<div id="root">')
    expect(page).not.toContain('unpkg.com')
  })

  it('challenges for basic auth on 401, so browsers ask for credentials', async () => {
    const { status, headers } = await run('{ viewer { username } }', {}, {})
    expect(status).toBe(401)
    expect(headers.get('www-authenticate')).toContain('Basic')
  })

  it('allows the configured origin and no other', async () => {
    const preflight = (origin: string) =>
      t.request('OPTIONS', '/graphql', {
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      })
    const allowed = await preflight('https://grafana.example.com')
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://grafana.example.com')
    const denied = await preflight('https://evil.example.com')
    expect(denied.headers.get('access-control-allow-origin')).not.toBe('https://evil.example.com')
  })
})
