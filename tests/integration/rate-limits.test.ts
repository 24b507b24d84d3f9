import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, basic, bearer, credentialsFrom, TOKENS } from '../support/fixtures.js'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({
    RATE_LIMIT_INGEST: '3',
    RATE_LIMIT_INGEST_TOKEN: '5',
    RATE_LIMIT_GRAPHQL: '4',
    RATE_LIMIT_EXPORTS: '1',
    RATE_LIMIT_SUBSCRIPTIONS: '2',
  })
})
afterAll(async () => {
  await t?.stop()
})

const batch = {
  events: [{ scope: 'click:element', timestamp: '2024-05-06T09:00:00.000Z' }],
  timestamp: '2024-05-06T09:00:05.000Z',
}

describe('per-principal rate limits', () => {
  it('answers ingest requests past RATE_LIMIT_INGEST with 429 and Retry-After, per user', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await t.request('POST', '/api/events', { headers: as('sue', 'acme'), body: batch })).status,
      )
    }
    expect(statuses).toEqual([201, 201, 201, 429])
    const limited = await t.request('POST', '/api/events', { headers: as('sue', 'acme'), body: batch })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await limited.json()) as { code: string }).code).toBe('TOO_MANY_REQUESTS')
    // Another user has a budget of its own.
    expect(
      (await t.request('POST', '/api/events', { headers: as('mark', 'acme'), body: batch })).status,
    ).toBe(201)
  })

  it("gives an ingest token a budget of its own (RATE_LIMIT_INGEST_TOKEN), apart from its owner's", async () => {
    // The test world's ingest token belongs to admin, who may also send server events by password.
    const rows = [{ scope: 'create:task', timestamp: '2024-05-06T09:00:00.000Z', user_id: 1, task_id: 1 }]
    const send = (authorization: string) =>
      t.request('POST', '/api/events/server', { headers: { authorization }, body: rows })
    const byToken: number[] = []
    for (let i = 0; i < 6; i++) byToken.push((await send(bearer(TOKENS.ingest))).status)
    expect(byToken).toEqual([201, 201, 201, 201, 201, 429])
    const limited = await send(bearer(TOKENS.ingest))
    expect(((await limited.json()) as { message: string }).message).toMatch(
      /more than 5 ingest requests a minute from this ingest token/,
    )
    // The token spent nothing of admin's own budget (RATE_LIMIT_INGEST, per user).
    const byPassword: number[] = []
    for (let i = 0; i < 4; i++) byPassword.push((await send(basic('admin'))).status)
    expect(byPassword).toEqual([201, 201, 201, 429])
  })

  it('answers GraphQL operations past RATE_LIMIT_GRAPHQL with 429', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      const res = await t.request('POST', '/graphql', {
        headers: as('gina'),
        body: { query: '{ viewer { username } }' },
      })
      statuses.push(res.status)
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toBeTruthy()
        expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'TOO_MANY_REQUESTS' } }] })
      }
    }
    // The same query each time: answered from the response cache after the first, and limited all the same.
    expect(statuses).toEqual([200, 200, 200, 200, 429])
  })

  it('refuses an export past RATE_LIMIT_EXPORTS queued or running with 429, and joins an identical one', async () => {
    const exports = t.app.services.exports
    const nora = await t.app.services.auth.access(credentialsFrom({ authorization: basic('nora') }))
    const request = (jobId: string) => ({
      filter: { jobIds: [jobId] },
      format: 'csv' as const,
      includeExceptions: false,
      filename: null,
    })
    // Started in one tick, so the first is still in flight when the others arrive.
    const [first, same, other] = await Promise.allSettled([
      exports.start(nora, request('1')),
      exports.start(nora, request('1')),
      exports.start(nora, request('2')),
    ])
    expect(first.status).toBe('fulfilled')
    expect(
      same.status === 'fulfilled' && first.status === 'fulfilled' && same.value.id === first.value.id,
    ).toBe(true)
    expect(other).toMatchObject({ status: 'rejected', reason: { code: 'TOO_MANY_REQUESTS' } })
  })

  it('gives each user RATE_LIMIT_SUBSCRIPTIONS live subscription slots, released when they end', async () => {
    const slots = t.app.services.rateLimits.subscriptions
    const access = await t.app.services.auth.access(credentialsFrom({ authorization: basic('olivia') }))
    const releases = [slots.acquire(access), slots.acquire(access)]
    expect(() => slots.acquire(access)).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_REQUESTS' }) as Error,
    )
    releases[0]?.()
    releases[0]?.() // twice is harmless
    expect(slots.held(access)).toBe(1)
    const again = slots.acquire(access)
    expect(slots.held(access)).toBe(2)
    again()
    releases[1]?.()
    expect(slots.held(access)).toBe(0)
  })
})
