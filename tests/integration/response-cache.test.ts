import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ActivityDocument,
  ExportStatusDocument,
  LogEventsDocument,
  StartExportDocument,
  ViewerDocument,
} from '../../src/gql/graphql.js'
import { startTestApp, tempDir, type TestApp } from '../support/app.js'
import { startClickHouseShim, type ClickHouseShim } from '../support/clickhouse-shim.js'
import { as, bearer, SCRAPER, TOKENS } from '../support/fixtures.js'
import { codeOf, expectOk, graphql } from '../support/graphql.js'
import { seedWorld, WORLD_FROM, WORLD_TO } from '../support/world.js'

const window = { from: new Date(WORLD_FROM).toISOString(), to: new Date(WORLD_TO).toISOString() }
const total = (data: { activity: { buckets: { count: number }[] } }) =>
  data.activity.buckets.reduce((sum, b) => sum + b.count, 0)
const activity = (t: TestApp, headers: Record<string, string>) =>
  graphql(t, ActivityDocument, { filter: window, interval: '1h' }, headers)
const storeStatements = (t: TestApp) =>
  [...t.app.services.store.statementCounts.values()].reduce((sum, n) => sum + n, 0)

/** One more client event for `person`, through the API (a mutation). */
async function logOne(t: TestApp, headers: Record<string, string>, minute: number) {
  const timestamp = new Date(WORLD_FROM + minute * 60_000).toISOString()
  const result = expectOk(
    await graphql(
      t,
      LogEventsDocument,
      { batch: { events: [{ scope: 'zoom:image', timestamp }], timestamp } },
      headers,
    ),
  )
  expect(result.logEvents.__typename).toBe('LogEventsSuccess')
}

describe('the response cache', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp({ RESPONSE_CACHE_TTL_MS: '60000' })
    await seedWorld(t)
  })
  afterAll(async () => {
    await t.stop()
  })

  it('answers a repeated query from the cache, without asking the store', async () => {
    const first = expectOk(await activity(t, as('olivia', 'acme')))
    const before = storeStatements(t)
    const again = await activity(t, as('olivia', 'acme'))
    expect(expectOk(again)).toEqual(first)
    expect(storeStatements(t)).toBe(before)
  })

  it('counts each cacheable query as a hit or a miss in /metrics', async () => {
    const lookups = async () => {
      const text = await (await t.request('GET', '/metrics', { headers: SCRAPER })).text()
      const count = (result: string) =>
        Number(
          new RegExp(`^analytics_response_cache_lookups_total\\{result="${result}"\\} (\\d+)`, 'm').exec(
            text,
          )?.[1] ?? 0,
        )
      return { hit: count('hit'), miss: count('miss') }
    }
    const before = await lookups()
    const ask = () => graphql(t, ActivityDocument, { filter: window, interval: '2h' }, as('mark', 'acme'))
    expectOk(await ask())
    expect(await lookups()).toEqual({ hit: before.hit, miss: before.miss + 1 })
    expectOk(await ask())
    expect(await lookups()).toEqual({ hit: before.hit + 1, miss: before.miss + 1 })
  })

  it("never serves one principal's answer to another: user, organization, role and token are in the key", async () => {
    const owner = total(expectOk(await activity(t, as('olivia', 'acme'))))
    const worker = total(expectOk(await activity(t, as('walt', 'acme'))))
    const adminAll = total(expectOk(await activity(t, as('admin'))))
    const adminInAcme = total(expectOk(await activity(t, as('admin', 'acme'))))
    // The owner sees acme's events, the worker only his own, the admin everything or acme's.
    expect(worker).toBeLessThan(owner)
    expect(adminInAcme).toBe(owner)
    expect(adminAll).toBeGreaterThan(owner)
    // Asked again (now cached), each still gets its own.
    expect(total(expectOk(await activity(t, as('walt', 'acme'))))).toBe(worker)
    expect(total(expectOk(await activity(t, as('olivia', 'acme'))))).toBe(owner)
    // The same user by password and by read token: `viewer` differs, so do the cached answers.
    const byPassword = expectOk(await graphql(t, ViewerDocument, {}, as('walt'))).viewer
    const byToken = expectOk(
      await graphql(t, ViewerDocument, {}, { authorization: bearer(TOKENS.waltRead) }),
    ).viewer
    expect(byPassword.tokenKind).toBeNull()
    expect(byToken.tokenKind).toBe('read')
  })

  it('checks credentials before the cache: a cached answer is not served to a wrong password', async () => {
    expectOk(await activity(t, as('sue', 'acme')))
    const wrong = await activity(t, {
      authorization: `Basic ${Buffer.from('sue:not-her-password').toString('base64')}`,
      'x-organization': 'acme',
    })
    expect(wrong.status).toBe(401)
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED')
  })

  it('never caches mutations: each logEvents stores its event', async () => {
    const count = async () => (await t.events("scope = 'zoom:image' AND user_id = 13")).length
    const before = await count()
    await logOne(t, as('walt', 'acme'), 30)
    await logOne(t, as('walt', 'acme'), 30)
    expect(await count()).toBe(before + 2)
  })

  it('never caches an export status: a poll sees the export finish, and every poll reads the record', async () => {
    const started = expectOk(await graphql(t, StartExportDocument, { filter: window }, as('admin')))
    const queryId = started.startExport.queryId
    const status = async () =>
      expectOk(await graphql(t, ExportStatusDocument, { queryId }, as('admin'))).export
    await expect.poll(async () => (await status()).status).toBe('DONE')
    // Answered from the store from now on (the replica running an export answers from memory).
    await expect.poll(() => t.app.services.exports.counts().running).toBe(0)
    const reads = () => t.app.services.store.statementCounts.get('exports.load_record') ?? 0
    const before = reads()
    await status()
    await status()
    expect(reads()).toBe(before + 2)
  })
})

describe('the response cache with a short TTL', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp({ RESPONSE_CACHE_TTL_MS: '300' })
    await seedWorld(t)
  })
  afterAll(async () => {
    await t.stop()
  })

  it('answers anew once the TTL has passed', async () => {
    // Client events are stored at the time they reach the service (clock-skew correction): now.
    const now = {
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date(Date.now() + 3_600_000).toISOString(),
    }
    const ask = async () =>
      total(expectOk(await graphql(t, ActivityDocument, { filter: now, interval: '1h' }, as('walt', 'acme'))))
    const before = await ask()
    await logOne(t, as('walt', 'acme'), 45)
    await expect.poll(ask).toBe(before + 1)
  })
})

describe('the response cache and store failures', () => {
  let dir: string
  let shim: ClickHouseShim
  let t: TestApp
  beforeAll(async () => {
    dir = await tempDir('aa-cache-errors-')
    shim = await startClickHouseShim(path.join(dir, 'server'))
    t = await startTestApp(
      { CLICKHOUSE_URL: shim.url, QUERY_TIMEOUT_MS: '2000', RESPONSE_CACHE_TTL_MS: '60000' },
      { dir },
    )
    await seedWorld(t)
  })
  afterAll(async () => {
    await t.stop()
    await shim.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('never caches an error: the same query succeeds once the store is back', async () => {
    await shim.stop()
    const failed = await activity(t, as('olivia', 'acme'))
    expect(codeOf(failed)).toBe('STORE_UNAVAILABLE')
    await shim.start()
    expect(total(expectOk(await activity(t, as('olivia', 'acme'))))).toBeGreaterThan(0)
  })
})
