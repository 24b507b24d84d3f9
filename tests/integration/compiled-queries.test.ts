import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { print } from 'graphql'
import {
  EventsDocument,
  FilterOptionsDocument,
  GrafanaUserActivityDocument,
  JobFlowDocument,
} from '../../src/gql/graphql.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, type Person } from '../support/fixtures.js'
import { seedWorld, WORLD_FROM, WORLD_TO } from '../support/world.js'

// A query runs compiled (graphql-jit) from the second time it is asked
// (src/pipeline/compiled-queries.ts): its answers, errors included, must be graphql-js's.
let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await seedWorld(t)
})
afterAll(async () => {
  await t.stop()
})

const window = { from: new Date(WORLD_FROM).toISOString(), to: new Date(WORLD_TO).toISOString() }

interface Case {
  readonly name: string
  readonly query: string
  readonly variables: Record<string, unknown>
  readonly person: Person
  readonly org?: string
  /** The first answer's status. */
  readonly status: number
}

const CASES: Case[] = [
  {
    name: 'a long list of small objects (per-user points)',
    query: print(GrafanaUserActivityDocument),
    variables: { filter: window, bucket: '15m' },
    person: 'admin',
    org: 'acme',
    status: 200,
  },
  {
    name: 'a page of events with their payloads (JSON)',
    query: print(EventsDocument),
    variables: { filter: window, first: 20 },
    person: 'olivia',
    org: 'acme',
    status: 200,
  },
  {
    name: "a worker's own options",
    query: print(FilterOptionsDocument),
    variables: { filter: window },
    person: 'walt',
    org: 'acme',
    status: 200,
  },
  {
    name: 'job flows (nested objects, nullable times)',
    query: print(JobFlowDocument),
    variables: { filter: window },
    person: 'admin',
    status: 200,
  },
  {
    name: 'fragments, aliases, directives and __typename',
    query: `query ($f: EventFilter, $names: Boolean!, $ids: Boolean!) {
      viewer { __typename ...who }
      recent: events(filter: $f, first: 3) { nodes { id scope userName @include(if: $names) userId @skip(if: $ids) } }
    }
    fragment who on Viewer { username role }`,
    variables: { f: window, names: true, ids: true },
    person: 'olivia',
    org: 'acme',
    status: 200,
  },
  {
    name: 'a refusal with its code (TOO_MANY_BUCKETS)',
    query: print(GrafanaUserActivityDocument),
    variables: { filter: window, bucket: '1s' },
    person: 'admin',
    status: 400,
  },
  {
    name: 'a variable that is no time, named',
    query: print(GrafanaUserActivityDocument),
    variables: { filter: { from: 'yesterday' }, bucket: '1h' },
    person: 'admin',
    status: 400,
  },
  {
    name: 'a variable of the wrong type',
    query: print(EventsDocument),
    variables: { filter: window, first: 'ten' },
    person: 'admin',
    status: 400,
  },
  {
    name: 'a field the caller may not read (FORBIDDEN)',
    query: '{ quarantine { total } }',
    variables: {},
    person: 'walt',
    org: 'acme',
    status: 403,
  },
]

async function ask(c: Case): Promise<{ status: number; body: unknown }> {
  const res = await t.request('POST', '/graphql', {
    headers: as(c.person, c.org),
    body: { query: c.query, variables: c.variables },
  })
  return { status: res.status, body: await res.json() }
}

describe('queries asked again (compiled)', () => {
  it.each(CASES)('answer $name exactly as the first time', async (c) => {
    const first = await ask(c)
    expect(first.status, JSON.stringify(first.body)).toBe(c.status)
    for (let i = 0; i < 3; i++) expect(await ask(c)).toEqual(first)
  })

  it('compiles each operation of a document apart, chosen by operationName', async () => {
    const query = 'query Name { viewer { username } } query Role { viewer { role } }'
    const run = async (operationName: string) => {
      const res = await t.request('POST', '/graphql', {
        headers: as('olivia', 'acme'),
        body: { query, operationName },
      })
      return (await res.json()) as unknown
    }
    for (let i = 0; i < 3; i++) {
      expect(await run('Name')).toEqual({ data: { viewer: { username: 'olivia' } } })
      expect(await run('Role')).toEqual({ data: { viewer: { role: 'user' } } })
    }
  })
})
