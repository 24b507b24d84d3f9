import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exceptionGroupOf } from '../../src/domain/exception-fingerprint.js'
import {
  ExceptionGroupsDocument,
  ExceptionsByGroupDocument,
  ExceptionsDocument,
  type ExceptionGroupsQuery,
} from '../../src/gql/graphql.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, bearer, credentialsFrom, TOKENS, type Person } from '../support/fixtures.js'
import { codeOf, expectOk, graphql } from '../support/graphql.js'
import { CHROME, DJANGO, FIREFOX } from '../support/stack-traces.js'

// A known history of exceptions on Monday 2024-05-06 (UTC), three kinds:
// - "Job <n> not found" thrown in ShapeView.updateGeometry (Chrome): walt ×3 (jobs 101, 102), sue ×1 (job 101)
// - "this.annotations is undefined" (Firefox): walt ×1, job 101 — the latest in acme
// - Django's "Job matching query does not exist." from the server: 2, no user; one in acme, one in globex
const day = (hour: number, minute = 0) => Date.UTC(2024, 4, 6, hour, minute)
const FROM = new Date(day(0)).toISOString()
const TO = new Date(day(23)).toISOString()
const payload = (message: string, stack: string) =>
  JSON.stringify({ message, stack, filename: 'x.js', line: 1 })
const CHROME_GROUP = exceptionGroupOf('send:exception', payload('Job 1 not found', CHROME.stack))
const FIREFOX_GROUP = exceptionGroupOf('send:exception', payload(FIREFOX.message, FIREFOX.stack))
const DJANGO_GROUP = exceptionGroupOf('send:exception', payload(DJANGO.message, DJANGO.stack))

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  const client = async (
    person: Person,
    events: { at: number; message: string; stack: string; job: number }[],
  ) => {
    const sentAt = Math.max(...events.map((e) => e.at)) + 1_000
    const access = await t.app.services.auth.access(credentialsFrom(as(person, 'acme')))
    const outcome = await t.app.services.ingest.clientBatch(
      {
        events: events.map((e) => ({
          scope: 'send:exception',
          timestamp: new Date(e.at).toISOString(),
          job_id: e.job,
          payload: payload(e.message, e.stack),
        })),
        timestamp: new Date(sentAt).toISOString(),
      },
      access,
      { requestId: crypto.randomUUID(), userAgent: 'test', remoteAddr: null, receivedAtMs: sentAt },
    )
    expect(outcome).not.toHaveProperty('problems')
  }
  await client('walt', [
    { at: day(9), message: 'Job 101 not found', stack: CHROME.stack, job: 101 },
    {
      at: day(10),
      message: 'Job 102 not found',
      stack: CHROME.stack.replaceAll('4f3a2b1c9d', '9e8d7c6b5a'),
      job: 102,
    },
    { at: day(11), message: 'Job 7 not found', stack: CHROME.stack, job: 101 },
    { at: day(15), message: FIREFOX.message, stack: FIREFOX.stack, job: 101 },
  ])
  await client('sue', [{ at: day(12), message: 'Job 9000 not found', stack: CHROME.stack, job: 101 }])
  const server = await t.request('POST', '/api/events/server', {
    headers: { authorization: bearer(TOKENS.ingest) },
    body: [
      {
        scope: 'send:exception',
        timestamp: day(8),
        org_id: 7,
        payload: payload(DJANGO.message, DJANGO.stack),
      },
      {
        scope: 'send:exception',
        timestamp: day(13),
        org_id: 8,
        payload: payload(DJANGO.message, DJANGO.stack),
      },
    ],
  })
  expect(server.status).toBe(201)
})
afterAll(async () => {
  await t.stop()
})

type Group = ExceptionGroupsQuery['exceptionGroups']['edges'][number]['node']
const groups = async (
  person: Person,
  org: string | undefined,
  variables: Parameters<typeof graphql<ExceptionGroupsQuery, Record<string, unknown>>>[2] = {},
): Promise<Group[]> =>
  expectOk(
    await graphql(
      t,
      ExceptionGroupsDocument,
      { filter: { from: FROM, to: TO }, ...variables },
      as(person, org),
    ),
  ).exceptionGroups.edges.map((e) => e.node)

describe('Query.exceptionGroups', () => {
  it('groups an organization’s exceptions by kind with counts, people, jobs, first and last seen', async () => {
    const found = await groups('olivia', 'acme')
    expect(found.map((g) => g.id)).toEqual([FIREFOX_GROUP, CHROME_GROUP, DJANGO_GROUP]) // latest first
    expect(found[1]).toEqual({
      id: CHROME_GROUP,
      count: 4,
      users: 2,
      jobs: 2,
      firstSeen: '2024-05-06T09:00:00.000Z',
      lastSeen: '2024-05-06T12:00:00.000Z',
      sources: ['client'],
      title: 'Job <n> not found',
      topFrame: 'ShapeView.updateGeometry (cvat-ui.min.<id>.js)',
      message: 'Job 9000 not found',
      stack: CHROME.stack,
      lastEventId: found[1]?.lastEventId,
    })
    expect(found[1]?.lastEventId).toMatch(/^[0-9a-f-]{36}$/)
    expect(found[2]).toMatchObject({
      count: 1,
      users: 0,
      jobs: 0,
      sources: ['server'],
      topFrame: 'get (query.py)',
    })
  })

  it('ranks by count, and pages through every group once', async () => {
    expect((await groups('olivia', 'acme', { orderBy: 'COUNT' })).map((g) => [g.id, g.count])).toEqual(
      [
        [CHROME_GROUP, 4],
        [FIREFOX_GROUP, 1],
        [DJANGO_GROUP, 1],
      ].sort((a, b) => Number(b[1]) - Number(a[1]) || (String(a[0]) < String(b[0]) ? 1 : -1)),
    )
    for (const orderBy of ['COUNT', 'LAST_SEEN'] as const) {
      const seen: string[] = []
      let after: string | null = null
      for (let page = 0; page < 5; page++) {
        const result: ExceptionGroupsQuery['exceptionGroups'] = expectOk(
          await graphql(
            t,
            ExceptionGroupsDocument,
            { filter: { from: FROM, to: TO }, first: 1, orderBy, ...(after ? { after } : {}) },
            as('olivia', 'acme'),
          ),
        ).exceptionGroups
        seen.push(...result.edges.map((e) => e.node.id))
        if (!result.pageInfo.hasNextPage) break
        after = result.pageInfo.endCursor
      }
      expect(seen.sort()).toEqual([CHROME_GROUP, DJANGO_GROUP, FIREFOX_GROUP].sort())
    }
  })

  it('counts only what the principal may see', async () => {
    expect((await groups('sue', 'acme')).map((g) => [g.id, g.count, g.users])).toEqual([[CHROME_GROUP, 1, 1]])
    expect((await groups('admin', undefined)).find((g) => g.id === DJANGO_GROUP)?.count).toBe(2)
    const forbidden = await graphql(
      t,
      ExceptionGroupsDocument,
      { filter: { orgIds: ['8'] } },
      as('walt', 'acme'),
    )
    expect(codeOf(forbidden)).toBe('FORBIDDEN')
  })

  it('refuses a cursor of another ranking, and a page size out of bounds', async () => {
    const first = expectOk(
      await graphql(
        t,
        ExceptionGroupsDocument,
        { filter: { from: FROM, to: TO }, first: 1 },
        as('olivia', 'acme'),
      ),
    )
    const wrongOrder = await graphql(
      t,
      ExceptionGroupsDocument,
      {
        filter: { from: FROM, to: TO },
        first: 1,
        orderBy: 'COUNT',
        after: first.exceptionGroups.pageInfo.endCursor,
      },
      as('olivia', 'acme'),
    )
    expect(wrongOrder.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' })
    const tooMany = await graphql(t, ExceptionGroupsDocument, { first: 100_000 }, as('olivia', 'acme'))
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' })
  })

  it('lists the occurrences of one group with filter.exceptionGroups', async () => {
    const result = expectOk(
      await graphql(
        t,
        ExceptionsDocument,
        { filter: { from: FROM, to: TO, exceptionGroups: [CHROME_GROUP] } },
        as('olivia', 'acme'),
      ),
    )
    expect(result.exceptions.edges.map((e) => e.node.message)).toEqual([
      'Job 9000 not found',
      'Job 7 not found',
      'Job 102 not found',
      'Job 101 not found',
    ])
  })
})

describe('Query.exceptionsOverTime byGroup', () => {
  it('splits the series by group, most frequent first, summing to the total', async () => {
    const result = expectOk(
      await graphql(
        t,
        ExceptionsByGroupDocument,
        { filter: { from: FROM, to: TO }, interval: '1h', groups: 2 },
        as('olivia', 'acme'),
      ),
    ).exceptionsOverTime
    expect(result.byGroup.map((s) => [s.groupId, s.count])).toEqual([
      [CHROME_GROUP, 4],
      [DJANGO_GROUP < FIREFOX_GROUP ? DJANGO_GROUP : FIREFOX_GROUP, 1],
    ])
    const chrome = result.byGroup[0]?.buckets ?? []
    expect(chrome).toHaveLength(result.buckets.length)
    expect(chrome.filter((b) => b.count > 0).map((b) => [b.time, b.count])).toEqual([
      ['2024-05-06T09:00:00.000Z', 1],
      ['2024-05-06T10:00:00.000Z', 1],
      ['2024-05-06T11:00:00.000Z', 1],
      ['2024-05-06T12:00:00.000Z', 1],
    ])
    expect(result.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(6)
  })
})
