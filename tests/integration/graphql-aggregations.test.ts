import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ActiveUsersDocument,
  ActivityByUserDocument,
  ActivityDocument,
  ExceptionsDocument,
  ExceptionsOverTimeDocument,
  FilterOptionsDocument,
  GrafanaUserActivityDocument,
  JobDetailsDocument,
  JobsWithWorkingTimeDocument,
  LogEventsDocument,
  PlatformsDocument,
  ProjectDetailsDocument,
  ScopeDurationsDocument,
  TaskDetailsDocument,
  UserDetailsDocument,
  WorkingTimeDocument,
} from '../../src/gql/graphql.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, type Person } from '../support/fixtures.js'
import { codeOf, expectOk, graphql } from '../support/graphql.js'
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
const hour = (h: number) => new Date(Date.UTC(2024, 4, 6, h)).toISOString()

describe('activity', () => {
  it('counts events and distinct users per hour with every gap filled', async () => {
    const data = expectOk(await graphql(t, ActivityDocument, { filter: window, interval: '1h' }, as('admin')))
    expect(data.activity.intervalMs).toBe(3_600_000)
    expect(data.activity.buckets.map((b) => [b.time, b.count, b.users])).toEqual([
      [hour(8), 4, 1],
      [hour(9), 6, 1],
      [hour(10), 5, 1],
      [hour(11), 4, 1],
      [hour(12), 6, 1],
      [hour(13), 5, 1],
      [hour(14), 1, 1],
      [hour(15), 0, 0],
      [hour(16), 0, 0],
      [hour(17), 0, 0],
      [hour(18), 0, 0],
    ])
  })

  it('accepts epoch milliseconds and millisecond intervals, as Grafana sends them', async () => {
    const data = expectOk(
      await graphql(
        t,
        ActivityDocument,
        { filter: { from: String(WORLD_FROM), to: String(WORLD_TO) }, interval: '3600000' },
        as('admin'),
      ),
    )
    expect(data.activity.buckets).toHaveLength(11)
    expect(data.activity.from).toBe(window.from)
  })

  it('gives one series per user', async () => {
    const data = expectOk(
      await graphql(t, ActivityByUserDocument, { filter: window, interval: '1h' }, as('admin', 'acme')),
    )
    const series = new Map(data.activity.byUser.map((s) => [s.userName ?? '', s.buckets.map((b) => b.count)]))
    expect([...series.keys()].sort()).toEqual(['olivia', 'sue', 'walt'])
    expect(series.get('walt')).toEqual([0, 6, 0, 0, 0, 5, 0, 0, 0, 0, 0])
  })

  it('gives the same series as rows in time order, every bucket of every user', async () => {
    const variables = { filter: window, interval: '1h' }
    const viewer = as('admin', 'acme')
    const { byUser } = expectOk(await graphql(t, ActivityByUserDocument, variables, viewer)).activity
    const { byUserPoints } = expectOk(
      await graphql(t, GrafanaUserActivityDocument, { filter: window, bucket: '1h' }, viewer),
    ).activity
    expect(byUserPoints).toHaveLength(11 * 3)
    const expected = (byUser[0]?.buckets ?? []).flatMap((bucket, i) =>
      byUser.map((s) => ({ time: bucket.time, user: s.userName, count: s.buckets[i]?.count })),
    )
    expect(byUserPoints).toEqual(expected)
    expect(byUserPoints.filter((p) => p.user === 'walt').map((p) => p.count)).toEqual([
      0, 6, 0, 0, 0, 5, 0, 0, 0, 0, 0,
    ])
  })

  it('counts only what a worker may see', async () => {
    const data = expectOk(
      await graphql(t, ActivityDocument, { filter: window, interval: '1h' }, as('walt', 'acme')),
    )
    expect(data.activity.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(11)
  })

  it('refuses too many buckets with TOO_MANY_BUCKETS and 400', async () => {
    const result = await graphql(t, ActivityDocument, { filter: window, interval: '1s' }, as('admin'))
    expect(result.status).toBe(400)
    expect(codeOf(result)).toBe('TOO_MANY_BUCKETS')
  })

  it('refuses an interval it cannot read, naming it', async () => {
    const result = await graphql(t, ActivityDocument, { filter: window, interval: 'often' }, as('admin'))
    expect(result.status).toBe(400)
    expect(result.errors?.[0]?.message).toContain('interval')
  })
})

describe('workingTime', () => {
  it('sums working time and counts actions per user and job, keeping rows without a job', async () => {
    const data = expectOk(
      await graphql(t, WorkingTimeDocument, { filter: window, groupBy: ['USER', 'JOB'] }, as('admin')),
    )
    expect(data.workingTime.map((r) => [r.userId, r.jobId, r.milliseconds, r.actions])).toEqual([
      ['13', '101', 40_000, 4],
      ['12', '101', 30_000, 3],
      ['10', null, 20_000, 3],
      ['20', '201', 20_000, 3],
      ['13', '102', 12_000, 4],
      ['20', null, 5_000, 1],
      ['12', null, 0, 1],
      ['13', null, 0, 1],
      ['30', '301', 0, 1],
    ])
    expect(data.workingTime[0]?.hours).toBeCloseTo(40 / 3600, 10)
    expect(data.workingTime[0]?.userName).toBe('walt')
  })

  it('groups by project alone', async () => {
    const data = expectOk(
      await graphql(t, WorkingTimeDocument, { filter: window, groupBy: ['PROJECT'] }, as('admin')),
    )
    expect(data.workingTime.map((r) => [r.projectId, r.milliseconds])).toEqual([
      ['1', 82_000],
      [null, 25_000],
      ['2', 20_000],
      ['3', 0],
    ])
    expect(data.workingTime.every((r) => r.userId === null && r.jobId === null)).toBe(true)
  })

  it('gives an owner the org and a worker only its own', async () => {
    const owner = expectOk(
      await graphql(t, WorkingTimeDocument, { filter: window, groupBy: ['USER'] }, as('olivia', 'acme')),
    )
    expect(owner.workingTime.map((r) => [r.userName, r.milliseconds])).toEqual([
      ['walt', 52_000],
      ['sue', 30_000],
      ['olivia', 20_000],
    ])
    const worker = expectOk(
      await graphql(t, WorkingTimeDocument, { filter: window, groupBy: ['USER'] }, as('walt', 'acme')),
    )
    expect(worker.workingTime.map((r) => [r.userName, r.milliseconds])).toEqual([['walt', 52_000]])
  })
})

describe('dashboard panels', () => {
  it('gives duration statistics per scope and source', async () => {
    const data = expectOk(await graphql(t, ScopeDurationsDocument, { filter: window }, as('admin')))
    const frames = data.scopeDurations.find((d) => d.scope === 'change:frame' && d.source === 'client')
    expect(frames).toEqual({
      scope: 'change:frame',
      source: 'client',
      count: 5,
      avgDuration: 7_000,
      minDuration: 5_000,
      maxDuration: 10_000,
    })
    expect(data.scopeDurations.find((d) => d.scope === 'send:working_time')?.count).toBe(6)
  })

  it('lists exceptions with message and stack, and counts them over time', async () => {
    const list = expectOk(await graphql(t, ExceptionsDocument, { filter: window }, as('admin')))
    expect(
      list.exceptions.edges.map((e) => [e.node.userName, e.node.jobId, e.node.message, e.node.stack]),
    ).toEqual([['walt', '102', 'TypeError: boom', 'at x\nat y']])
    const series = expectOk(
      await graphql(t, ExceptionsOverTimeDocument, { filter: window, interval: '1h' }, as('admin')),
    )
    expect(series.exceptionsOverTime.buckets.map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0])
    const other = expectOk(await graphql(t, ExceptionsDocument, { filter: window }, as('gina', 'globex')))
    expect(other.exceptions.edges).toEqual([])
  })

  it('counts distinct users per browser and operating system', async () => {
    const data = expectOk(await graphql(t, PlatformsDocument, { filter: window }, as('admin')))
    expect(data.platforms.browsers).toEqual([
      { name: 'Chrome', users: 2 },
      { name: 'Firefox', users: 1 },
      { name: 'Safari', users: 1 },
    ])
    expect(data.platforms.operatingSystems).toEqual([
      { name: 'Windows', users: 2 },
      { name: 'Linux', users: 1 },
      { name: 'macOS', users: 1 },
    ])
  })

  it('offers the filter values present in the range, within the caller’s view', async () => {
    const all = expectOk(await graphql(t, FilterOptionsDocument, { filter: window }, as('admin')))
    expect(all.filterOptions.users.map((u) => [u.id, u.name])).toEqual([
      ['10', 'olivia'],
      ['12', 'sue'],
      ['13', 'walt'],
      ['20', 'gina'],
      ['30', 'nora'],
    ])
    expect(all.filterOptions.orgs).toEqual([
      { id: '7', slug: 'acme' },
      { id: '8', slug: 'globex' },
    ])
    expect(all.filterOptions.jobIds).toEqual(['101', '102', '201', '301'])
    expect(all.filterOptions.sources).toEqual(['client', 'server'])
    const walt = expectOk(await graphql(t, FilterOptionsDocument, { filter: window }, as('walt', 'acme')))
    expect(walt.filterOptions.users.map((u) => u.name)).toEqual(['walt'])
  })

  it('counts the users active now, only those the caller may see', async () => {
    const send = (person: Person, org?: string) =>
      graphql(
        t,
        LogEventsDocument,
        {
          batch: {
            events: [{ scope: 'draw:object', timestamp: new Date().toISOString() }],
            timestamp: new Date().toISOString(),
          },
        },
        as(person, org),
      )
    expectOk(await send('walt', 'acme'))
    expectOk(await send('sue', 'acme'))
    expectOk(await send('gina', 'globex'))
    const admin = expectOk(await graphql(t, ActiveUsersDocument, {}, as('admin')))
    expect(admin.activeUsers.count).toBe(3)
    const owner = expectOk(await graphql(t, ActiveUsersDocument, {}, as('olivia', 'acme')))
    expect(owner.activeUsers.users.map((u) => u.userName).sort()).toEqual(['sue', 'walt'])
    const worker = expectOk(await graphql(t, ActiveUsersDocument, { windowMinutes: 5 }, as('walt', 'acme')))
    expect(worker.activeUsers).toMatchObject({ count: 1, windowMinutes: 5, users: [{ userName: 'walt' }] })
  })
})

describe('entities', () => {
  it('describes a job from its events', async () => {
    const data = expectOk(
      await graphql(t, JobDetailsDocument, { id: '101', interval: '1h', ...window }, as('admin')),
    )
    expect(data.job).toMatchObject({
      id: '101',
      workingTime: { milliseconds: 70_000, actions: 7 },
      firstEventAt: '2024-05-06T08:30:02.000Z',
      lastEventAt: '2024-05-06T10:00:30.000Z',
      eventCount: 10,
    })
    expect(data.job.activity.map((b) => b.count)).toEqual([1, 5, 4, 0, 0, 0, 0, 0, 0, 0, 0])
    expect(data.job.events.edges).toHaveLength(5)
    expect(data.job.events.pageInfo.hasNextPage).toBe(true)
  })

  it('describes tasks, projects and users', async () => {
    const task = expectOk(await graphql(t, TaskDetailsDocument, { id: '11' }, as('admin')))
    expect(task.task.workingTime).toEqual({ milliseconds: 82_000, actions: 11 })
    const project = expectOk(await graphql(t, ProjectDetailsDocument, { id: '2' }, as('admin')))
    expect(project.project.workingTime).toEqual({ milliseconds: 20_000, actions: 3 })
    const user = expectOk(await graphql(t, UserDetailsDocument, { id: '13', ...window }, as('admin')))
    expect(user.user).toMatchObject({ name: 'walt', workingTime: { milliseconds: 52_000, actions: 9 } })
  })

  it('applies the policy to entity fields and refuses other users to a worker', async () => {
    const data = expectOk(
      await graphql(t, JobDetailsDocument, { id: '101', interval: '1h', ...window }, as('walt', 'acme')),
    )
    expect(data.job.workingTime).toEqual({ milliseconds: 40_000, hours: 40 / 3600, actions: 4 })
    const other = await graphql(t, UserDetailsDocument, { id: '12' }, as('walt', 'acme'))
    expect(other.status).toBe(403)
    expect(codeOf(other)).toBe('FORBIDDEN')
  })

  it('loads the working time of many jobs in one store query', async () => {
    // A day after the seeded world, so that the other tests' window never sees these jobs.
    const from = WORLD_TO + 86_400_000
    for (let i = 0; i < 100; i += 1) {
      const events = [
        {
          scope: 'draw:object',
          timestamp: new Date(from + i * 1000).toISOString(),
          job_id: 5000 + i,
        },
      ]
      await t.request('POST', '/api/events', {
        headers: as('mark', 'acme'),
        body: { events, timestamp: new Date().toISOString() },
      })
    }
    const counts = t.app.services.store.statementCounts
    const before = counts.get('analytics.working_time_by_job') ?? 0
    const data = expectOk(
      await graphql(
        t,
        JobsWithWorkingTimeDocument,
        {
          filter: {
            from: new Date(from).toISOString(),
            to: new Date(from + 3_600_000).toISOString(),
            userIds: ['11'],
          },
          first: 100,
        },
        as('admin'),
      ),
    )
    expect(data.jobs).toHaveLength(100)
    expect((counts.get('analytics.working_time_by_job') ?? 0) - before).toBe(1)
  })
})

describe('logEvents', () => {
  it('stores a batch through the ingest code and reports what it wrote', async () => {
    const now = new Date().toISOString()
    const data = expectOk(
      await graphql(
        t,
        LogEventsDocument,
        {
          batch: {
            events: [
              { scope: 'load:job', timestamp: now, jobId: '777', payload: { mode: 'annotation' } },
              { scope: 'change:frame', timestamp: now, jobId: '777', duration: 2000, count: 1, objVal: '5' },
            ],
            timestamp: now,
          },
        },
        as('walt', 'acme'),
      ),
    )
    expect(data.logEvents).toMatchObject({ __typename: 'LogEventsSuccess', stored: 3, outcome: 'STORED' })
    if (data.logEvents.__typename !== 'LogEventsSuccess') return
    const stored = await t.events('request_id = {id:String}', { id: data.logEvents.requestId })
    expect(stored.map((e) => [e.scope, e.user_name, e.job_id]).sort()).toEqual([
      ['change:frame', 'walt', '777'],
      ['load:job', 'walt', '777'],
      ['send:working_time', 'walt', '777'],
    ])
  })

  it('answers a rejected batch with the problems, storing nothing', async () => {
    const now = new Date().toISOString()
    const data = expectOk(
      await graphql(
        t,
        LogEventsDocument,
        {
          batch: {
            events: [
              { scope: 'draw:object', timestamp: now },
              { scope: 'create:task', timestamp: now, objVal: 'rejected-batch' },
            ],
            timestamp: now,
          },
        },
        as('walt'),
      ),
    )
    expect(data.logEvents).toEqual({
      __typename: 'LogEventsRejected',
      message: "event 1: events[1].scope 'create:task' is not allowed from a client",
      errors: [{ index: 1, field: 'events[1].scope', message: "'create:task' is not allowed from a client" }],
    })
    expect(await t.events("obj_val = 'rejected-batch'")).toEqual([])
  })
})
