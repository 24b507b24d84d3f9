import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FilterOptionsDocument, type FilterOptionsQuery } from '../../src/gql/graphql.js'
import type { Statement } from '../../src/store/index.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, bearer, TOKENS, type Person } from '../support/fixtures.js'
import { expectOk, graphql } from '../support/graphql.js'

// The dashboards' variables are asked by every viewer at every refresh with a range and their
// rights alone: one read per organization and range serves them all, each viewer's lists picked
// from it. acme is org 7 (olivia owns it, mark maintains it, sue and walt see their own events);
// globex is org 8.
const AT = (h: number) => Date.UTC(2024, 4, 7, h)
const FILTER = { from: new Date(AT(0)).toISOString(), to: new Date(AT(23)).toISOString() }

const EVENTS = [
  { scope: 'update:job', org_id: 7, user_id: 10, project_id: 1, task_id: 11, job_id: 111 },
  { scope: 'create:task', org_id: 7, user_id: 12, project_id: 2, task_id: 21 },
  { scope: 'save:job', org_id: 7, user_id: 13, project_id: 1, task_id: 12, job_id: 121 },
  { scope: 'save:job', org_id: 7, user_id: 13, project_id: 1, task_id: 12, job_id: 122 },
  { scope: 'send:exception', org_id: 7 },
  { scope: 'create:project', org_id: 8, user_id: 20, project_id: 3 },
].map((e, i) => ({ source: 'server', timestamp: AT(1 + i), payload: {}, ...e }))

let t: TestApp
const statements: Statement[] = []
beforeAll(async () => {
  t = await startTestApp({}, { observeStore: (s) => void statements.push(s) })
  const res = await t.request('POST', '/api/events/server', {
    headers: { authorization: bearer(TOKENS.ingest) },
    body: EVENTS,
  })
  expect(res.status).toBe(201)
})
afterAll(async () => {
  await t.stop()
})

type Options = FilterOptionsQuery['filterOptions']
/** sue's lists (a supervisor of acme, user 12), in acme and outside any organization alike. */
const SUE: Options = {
  users: [{ id: '12', name: null }],
  orgs: [{ id: '7', slug: null }],
  projectIds: ['2'],
  taskIds: ['21'],
  jobIds: [],
  scopes: ['create:task'],
  sources: ['server'],
}
const options = async (person: Person, org?: string, filter: object = FILTER): Promise<Options> =>
  expectOk(await graphql(t, FilterOptionsDocument, { filter }, as(person, org))).filterOptions

const named = (name: string) => statements.filter((s) => s.name === name).length
/** The shared reads since statement `index`. */
const sharedReadsSince = (index: number) =>
  statements.slice(index).filter((s) => s.name === 'analytics.filter_options_by_user')

describe('Query.filterOptions shared by the viewers of an organization', () => {
  it('gives each viewer the lists of what it may see, from one read for all of them', async () => {
    const first = statements.length
    const [olivia, mark, sue, walt] = await Promise.all([
      options('olivia', 'acme'),
      options('mark', 'acme'),
      options('sue', 'acme'),
      options('walt', 'acme'),
    ])
    const read = statements.slice(first).map((s) => s.name)
    expect(read.filter((n) => n.startsWith('analytics.filter_options'))).toEqual([
      'analytics.filter_options_by_user',
    ])
    expect(olivia).toEqual({
      users: [
        { id: '10', name: null },
        { id: '12', name: null },
        { id: '13', name: null },
      ],
      orgs: [{ id: '7', slug: null }],
      projectIds: ['1', '2'],
      taskIds: ['11', '12', '21'],
      jobIds: ['111', '121', '122'],
      scopes: ['create:task', 'save:job', 'send:exception', 'update:job'],
      sources: ['server'],
    })
    expect(mark).toEqual(olivia)
    expect(sue).toEqual(SUE)
    expect(walt).toEqual({
      users: [{ id: '13', name: null }],
      orgs: [{ id: '7', slug: null }],
      projectIds: ['1'],
      taskIds: ['12'],
      jobIds: ['121', '122'],
      scopes: ['save:job'],
      sources: ['server'],
    })
  })

  it('reuses the read within the response cache TTL, and reads again for another range', async () => {
    const before = named('analytics.filter_options_by_user')
    // Same range as the test above: sue's answer comes from the kept read.
    expect((await options('sue', 'acme')).users).toEqual([{ id: '12', name: null }])
    expect(named('analytics.filter_options_by_user')).toBe(before)
    const other = { ...FILTER, to: new Date(AT(3)).toISOString() }
    expect((await options('walt', 'acme', other)).jobIds).toEqual(['121'])
    expect(named('analytics.filter_options_by_user')).toBe(before + 1)
  })

  it('answers an admin outside any organization with every organization', async () => {
    const admin = await options('admin')
    expect(admin.orgs).toEqual([
      { id: '7', slug: null },
      { id: '8', slug: null },
    ])
    expect(admin.projectIds).toEqual(['1', '2', '3'])
  })

  it('reads only the user for a user outside any organization asking alone', async () => {
    const alone = { ...FILTER, to: new Date(AT(22)).toISOString() }
    const first = statements.length
    const walt = await options('walt', undefined, alone)
    expect(walt.jobIds).toEqual(['121', '122'])
    expect(walt.orgs).toEqual([{ id: '7', slug: null }])
    const reads = sharedReadsSince(first)
    expect(reads).toHaveLength(1)
    expect(Object.values(reads[0]?.params ?? {})).toContainEqual([13n])
    // Asking again within the TTL: its own read, kept.
    expect((await options('walt', undefined, alone)).jobIds).toEqual(['121', '122'])
    expect(sharedReadsSince(first)).toHaveLength(1)
  })

  it('answers users outside any organization from the read of everyone once a second one asks', async () => {
    const range = { ...FILTER, to: new Date(AT(21)).toISOString() }
    const first = statements.length
    expect((await options('walt', undefined, range)).jobIds).toEqual(['121', '122'])
    // sue is the second person within the TTL: one read of every organization and person,
    // narrowed to her; nora, the third, is answered from it without reading.
    const sue = await options('sue', undefined, range)
    const nora = await options('nora', undefined, range)
    const reads = sharedReadsSince(first)
    expect(reads).toHaveLength(2)
    expect(Object.values(reads[1]?.params ?? {})).not.toContainEqual([12n])
    expect(sue).toEqual(SUE)
    expect(nora).toEqual({
      users: [],
      orgs: [],
      projectIds: [],
      taskIds: [],
      jobIds: [],
      scopes: [],
      sources: [],
    })
  })

  it("answers a user outside any organization from an admin's kept read", async () => {
    // The admin test above read every organization over FILTER.
    const first = statements.length
    const walt = await options('walt')
    expect(statements.slice(first).filter((s) => s.name.startsWith('analytics.filter_options'))).toEqual([])
    expect(walt.jobIds).toEqual(['121', '122'])
    expect(walt.users).toEqual([{ id: '13', name: null }])
  })

  it('scans for a filter naming more than a range, organizations and users', async () => {
    const before = named('analytics.filter_options')
    const chosen = await options('olivia', 'acme', { ...FILTER, scopes: ['save:job'] })
    expect(named('analytics.filter_options')).toBe(before + 1)
    expect(chosen.users).toEqual([{ id: '13', name: null }])
    expect(chosen.jobIds).toEqual(['121', '122'])
  })
})
