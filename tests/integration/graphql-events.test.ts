import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EventsDocument, ViewerDocument, type EventFilter, type EventsQuery } from '../../src/gql/graphql.js'
import { emptyRecord } from '../../src/ingest/records.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, bearer, type Person, TOKENS } from '../support/fixtures.js'
import { codeOf, expectOk, graphql, type GraphQLResult } from '../support/graphql.js'
import { seedWorld, WORLD_FROM, WORLD_TO } from '../support/world.js'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await seedWorld(t)
})
afterAll(async () => {
  await t.stop()
})

const window = { from: new Date(WORLD_FROM).toISOString(), to: new Date(WORLD_TO).toISOString() }

async function allEvents(headers: Record<string, string>, filter: Record<string, unknown> = {}) {
  const ids: { userId: string | null; orgId: string | null; jobId: string | null }[] = []
  let after: string | null = null
  for (;;) {
    const result: GraphQLResult<EventsQuery> = await graphql(
      t,
      EventsDocument,
      { filter: { ...window, ...filter }, first: 50, after, orderBy: 'TIMESTAMP_ASC' },
      headers,
    )
    const data: EventsQuery = expectOk(result)
    ids.push(
      ...data.events.edges.map((e) => ({
        userId: e.node.userId ?? null,
        orgId: e.node.orgId ?? null,
        jobId: e.node.jobId ?? null,
      })),
    )
    if (!data.events.pageInfo.hasNextPage) return ids
    after = data.events.pageInfo.endCursor ?? null
  }
}

describe('events query', () => {
  it('answers 401 without credentials', async () => {
    const result = await graphql(t, ViewerDocument, {})
    expect(result.status).toBe(401)
    expect(codeOf(result)).toBe('UNAUTHENTICATED')
  })

  it('returns every field of an event', async () => {
    const data = expectOk(
      await graphql(
        t,
        EventsDocument,
        { filter: { ...window, scopes: ['send:exception'] }, first: 1 },
        as('admin'),
      ),
    )
    const node = data.events.edges[0]?.node
    expect(node).toMatchObject({
      scope: 'send:exception',
      source: 'client',
      orgSlug: 'acme',
      userName: 'walt',
    })
    expect(node?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(node?.payload).toMatchObject({ message: 'TypeError: boom' })
    expect(node?.requestId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it.each([
    ['admin', undefined, 'all', (_e: { orgId: string | null }) => true],
    ['admin', 'acme', 'acme only', (e: { orgId: string | null }) => e.orgId === '7'],
    ['olivia', 'acme', 'acme only', (e: { orgId: string | null }) => e.orgId === '7'],
    ['mark', 'acme', 'acme only', (e: { orgId: string | null }) => e.orgId === '7'],
    [
      'sue',
      'acme',
      'own in acme',
      (e: { orgId: string | null; userId: string | null }) => e.orgId === '7' && e.userId === '12',
    ],
    [
      'walt',
      'acme',
      'own in acme',
      (e: { orgId: string | null; userId: string | null }) => e.orgId === '7' && e.userId === '13',
    ],
    ['walt', undefined, 'own anywhere', (e: { userId: string | null }) => e.userId === '13'],
    [
      'gina',
      'globex',
      'own in globex',
      (e: { orgId: string | null; userId: string | null }) => e.orgId === '8' && e.userId === '20',
    ],
  ] as const)('%s in %s sees %s', async (person, org, _label, visible) => {
    const seen = await allEvents(as(person, org))
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every(visible as (e: unknown) => boolean)).toBe(true)
    const all = await allEvents(as('admin'))
    expect(seen.length).toBe(all.filter(visible as (e: unknown) => boolean).length)
  })

  it('lets a read token read as its user, and refuses an ingest token', async () => {
    const walt = await allEvents({ authorization: bearer(TOKENS.waltRead) })
    expect(walt.every((e) => e.userId === '13')).toBe(true)
    const ingest = await graphql(
      t,
      EventsDocument,
      { filter: window },
      { authorization: bearer(TOKENS.ingest) },
    )
    expect(ingest.status).toBe(403)
    expect(codeOf(ingest)).toBe('FORBIDDEN')
  })

  it.each<[string, Person, string | undefined, EventFilter]>([
    ['walt naming another user', 'walt', 'acme', { userIds: ['10'] }],
    ['walt naming another user by name', 'walt', 'acme', { userNames: ['olivia'] }],
    ['olivia naming another org', 'olivia', 'acme', { orgIds: ['8'] }],
    ['nora naming another user', 'nora', undefined, { userIds: ['13'] }],
    ['admin in acme naming globex', 'admin', 'acme', { orgIds: ['8'] }],
  ])('answers 403 FORBIDDEN for %s', async (_name, person, org, filter) => {
    const result = await graphql(t, EventsDocument, { filter: { ...window, ...filter } }, as(person, org))
    expect(result.status).toBe(403)
    expect(codeOf(result)).toBe('FORBIDDEN')
  })

  it('allows a filter that names only what the caller may see', async () => {
    const seen = await allEvents(as('walt', 'acme'), { userIds: ['13'], orgIds: ['7'] })
    expect(seen.length).toBeGreaterThan(0)
  })

  it('answers 403 for a worker naming a foreign organization', async () => {
    const result = await graphql(t, EventsDocument, { filter: window }, as('walt', 'globex'))
    expect(result.status).toBe(403)
    expect(codeOf(result)).toBe('FORBIDDEN')
  })

  it('rejects a bad page size, cursor or id with BAD_USER_INPUT and 400', async () => {
    for (const variables of [
      { first: 0 },
      { first: 100_000 },
      { after: 'garbage' },
      { filter: { jobIds: ['-1'] } },
      { filter: { from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' } },
    ]) {
      const result = await graphql(t, EventsDocument, variables, as('admin'))
      expect(result.status, JSON.stringify(variables)).toBe(400)
      expect(codeOf(result)).toBe('BAD_USER_INPUT')
    }
  })

  it('pages through every event exactly once while events arrive between pages', async () => {
    const before = await allEvents(as('admin'))
    const seen: string[] = []
    let after: string | null = null
    let pages = 0
    for (;;) {
      const result: GraphQLResult<EventsQuery> = await graphql(
        t,
        EventsDocument,
        { filter: window, first: 7, after, orderBy: 'TIMESTAMP_ASC' },
        as('admin'),
      )
      const data: EventsQuery = expectOk(result)
      seen.push(...data.events.edges.map((e) => e.node.id))
      pages += 1
      if (pages === 2) {
        const late = (ms: number, marker: string) => ({
          ...emptyRecord(),
          scope: 'draw:object',
          source: 'client',
          objVal: marker,
          timestampMs: ms,
        })
        await t.app.services.writer.write([
          late(WORLD_FROM + 1, 'behind-the-cursor'),
          late(WORLD_TO - 1, 'ahead-of-the-cursor'),
        ])
      }
      if (!data.events.pageInfo.hasNextPage) break
      after = data.events.pageInfo.endCursor ?? null
    }
    expect(pages).toBeGreaterThan(3)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen).toHaveLength(before.length + 1)
  })

  it('filters on scopes, sources and hasJob', async () => {
    const noJob = await allEvents(as('admin'), { hasJob: false })
    expect(noJob.every((e) => e.jobId === null)).toBe(true)
    expect(noJob.length).toBeGreaterThan(0)
  })
})
