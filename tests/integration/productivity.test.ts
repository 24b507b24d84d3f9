import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthorizedFilter } from '../../src/domain/filter.js'
import { MS_PER_HOUR } from '../../src/domain/units.js'
import {
  generateIntoStore,
  prepareDemoAccounts,
  type DemoPerson,
  type JobTruth,
  type Simulation,
  type TruthRow,
} from '../../src/demo/index.js'
import {
  IdleGapsDocument,
  JobFlowDocument,
  JobFlowOfJobDocument,
  ProductivityDocument,
} from '../../src/gql/graphql.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as } from '../support/fixtures.js'
import { codeOf, expectOk, graphql } from '../support/graphql.js'

/**
 * Productivity answers against what the demo simulator did (its truth): objects by hand, by
 * import and by model run, undo and redo, working time per person and job; each job's stages,
 * rejections and acceptance; working time at another idle cutoff recomputed from the raw events
 * and heartbeats equal to CVAT's stored one at 100 s.
 */

const END = Date.UTC(2026, 10, 26, 18, 0) // a Thursday evening
const DAYS = 3
const PASSWORD = 'productivity-demo-password'
// Rows of one server request are logged a millisecond apart: a minute past the window holds them all.
const TO = END + 60_000

let t: TestApp
let simulation: Simulation
let from: string
let to: string
let worker: DemoPerson
let owner: DemoPerson

const key = (user: string | number | null, job: string | number | null) => `${user ?? '-'}|${job ?? '-'}`
const hoursToMs = (h: number) => Math.round(h * MS_PER_HOUR)
const admin = () => as('admin')
const demoAs = (person: DemoPerson) => ({
  authorization: `Basic ${Buffer.from(`${person.username}:${PASSWORD}`).toString('base64')}`,
  'x-organization': person.orgSlug,
})

beforeAll(async () => {
  t = await startTestApp()
  await t.app.services.store.rollups.whenReady()
  simulation = (
    await generateIntoStore(t.app.services.store, { seed: 'productivity', users: 6, days: DAYS, endMs: END })
  ).simulation
  await prepareDemoAccounts(t.config.accountsFile, simulation.world, PASSWORD)
  await t.app.services.directory.refresh(true)
  from = new Date(simulation.window.startMs).toISOString()
  to = new Date(TO).toISOString()
  const people = simulation.world.people
  worker = people.find((p) => p.orgRole === 'worker') as DemoPerson
  owner = people.find((p) => p.orgRole === 'owner' && p.orgSlug === worker.orgSlug) as DemoPerson
}, 180_000)
afterAll(async () => {
  await t.stop()
})

describe('productivity against the simulator', () => {
  it('counts objects by hand, by import and by model run, updates, deletes, undo, redo and working time per person and job', async () => {
    const truth = simulation.truth.rows()
    const sum = (k: keyof TruthRow) => truth.reduce((a, r) => a + (r[k] as number), 0)
    // The simulation did all of it: the comparison below compares something.
    for (const k of [
      'manualObjects',
      'importedObjects',
      'automaticObjects',
      'objectsUpdated',
      'objectsDeleted',
      'undo',
      'redo',
    ] as const)
      expect(sum(k), k).toBeGreaterThan(0)

    const { productivity } = expectOk(
      await graphql(
        t,
        ProductivityDocument,
        { filter: { from, to }, groupBy: ['USER', 'JOB'], first: 1000 },
        admin(),
      ),
    )
    const api = Object.fromEntries(
      productivity.map((r) => [
        key(r.userId, r.jobId),
        [
          r.manualObjectsCreated,
          r.importedObjectsCreated,
          r.automaticObjectsCreated,
          r.objectsUpdated,
          r.objectsDeleted,
          r.undo,
          r.redo,
          hoursToMs(r.workingHours),
        ],
      ]),
    )
    const expected = Object.fromEntries(
      truth.map((r) => [
        key(r.userId, r.jobId),
        [
          r.manualObjects,
          r.importedObjects,
          r.automaticObjects,
          r.objectsUpdated,
          r.objectsDeleted,
          r.undo,
          r.redo,
          r.cvatMs,
        ],
      ]),
    )
    expect(api).toEqual(expected)
    for (const r of productivity) {
      expect(r.objectsCreated).toBe(
        r.manualObjectsCreated + r.importedObjectsCreated + r.automaticObjectsCreated,
      )
      expect(r.objectsPerHour).toEqual(r.workingHours > 0 ? r.manualObjectsCreated / r.workingHours : null)
      expect(r.reworkRatio).toEqual(r.objectsCreated > 0 ? r.objectsDeleted / r.objectsCreated : null)
    }
  })

  it('recomputes working time at 100 s from the raw events and heartbeats, per person across batches, equal to CVAT’s stored one', async () => {
    const store = t.app.services.store
    const filter = { from: simulation.window.startMs, to: TO } as AuthorizedFilter
    const request = {
      filter,
      from: simulation.window.startMs,
      to: TO,
      groups: ['user', 'job'] as const,
      maxGroups: 1000,
    }
    const stored = await store.productivity.rows({ ...request, idleMs: null })
    const recomputed = await store.productivity.rows({ ...request, idleMs: 100_000 })
    const ms = (rows: typeof stored.rows) =>
      Object.fromEntries(
        rows.filter((r) => r.workingMs > 0).map((r) => [key(r.userId, r.jobId), r.workingMs]),
      )
    expect(Object.keys(ms(stored.rows)).length).toBeGreaterThan(10)
    expect(ms(recomputed.rows)).toEqual(ms(stored.rows))
  })

  it('gives more working time at longer cutoffs, and the same at each cutoff as idleGaps', async () => {
    const hours = async (idleSeconds: number) =>
      expectOk(
        await graphql(t, ProductivityDocument, { filter: { from, to }, idleSeconds, first: 1000 }, admin()),
      ).productivity
    const [at60, at100, at300] = await Promise.all([hours(60), hours(100), hours(300)])
    const { idleGaps } = expectOk(
      await graphql(t, IdleGapsDocument, { filter: { from, to }, first: 1000 }, admin()),
    )
    expect(idleGaps.length).toBe(at100.length)
    for (const gaps of idleGaps) {
      const of = (rows: typeof at100) => rows.find((r) => r.userId === gaps.userId)?.workingHours ?? NaN
      const at = (s: number) => gaps.workingHoursAt.find((w) => w.idleSeconds === s)?.hours ?? NaN
      expect(at(60)).toBeCloseTo(of(at60), 9)
      expect(at(100)).toBeCloseTo(of(at100), 9)
      expect(at(300)).toBeCloseTo(of(at300), 9)
      expect(of(at60)).toBeLessThanOrEqual(of(at100))
      expect(of(at100)).toBeLessThanOrEqual(of(at300))
      // The histogram accounts for the difference: gaps from 100 to 300 s are what 300 s adds.
      const bucket = gaps.buckets.find((b) => b.fromSeconds === 100)
      expect(at(300) - at(100)).toBeCloseTo((bucket?.seconds ?? NaN) / 3600, 9)
      expect(gaps.buckets.map((b) => b.label)).toEqual([
        '0–10 s',
        '10–30 s',
        '30–60 s',
        '60–100 s',
        '100–300 s',
        '300–900 s',
        '900 s+',
      ])
    }
  })

  it('follows each job through annotation, validation and acceptance as the simulator moved it', async () => {
    const truth = simulation.truth.jobs(TO)
    expect(truth.filter((j) => j.rejections > 0).length).toBeGreaterThan(0)
    expect(truth.filter((j) => j.acceptedMs !== null).length).toBeGreaterThan(0)
    const { jobFlow } = expectOk(
      await graphql(t, JobFlowDocument, { filter: { from, to }, first: 1000 }, admin()),
    )
    const byId = new Map(jobFlow.map((f) => [Number(f.jobId), f]))
    const changed = truth.filter((j) => byId.has(j.jobId))
    // Every job whose stage, state or assignee changed; the demo's sandbox jobs never were.
    expect(changed.length).toBeGreaterThanOrEqual(truth.length - 2 * simulation.world.organizations.length)
    const view = (j: JobTruth) => ({
      hoursIn: j.stageMs,
      inProgress: j.inProgressMs,
      rejections: j.rejections,
      firstValidationAt: j.firstValidationMs === null ? null : new Date(j.firstValidationMs).toISOString(),
      acceptedAt: j.acceptedMs === null ? null : new Date(j.acceptedMs).toISOString(),
      cycle: j.cycleMs,
      workingIn: j.workingMsIn,
    })
    const apiView = (f: (typeof jobFlow)[number]) => ({
      hoursIn: {
        annotation: hoursToMs(f.hoursIn.annotation),
        validation: hoursToMs(f.hoursIn.validation),
        acceptance: hoursToMs(f.hoursIn.acceptance),
      },
      inProgress: hoursToMs(f.hoursInProgress),
      rejections: f.rejections,
      firstValidationAt: f.firstValidationAt,
      acceptedAt: f.acceptedAt,
      cycle: f.cycleHours === null ? null : hoursToMs(f.cycleHours),
      workingIn: {
        annotation: hoursToMs(f.workingHoursIn.annotation),
        validation: hoursToMs(f.workingHoursIn.validation),
        acceptance: hoursToMs(f.workingHoursIn.acceptance),
      },
    })
    for (const j of changed)
      expect(apiView(byId.get(j.jobId) as (typeof jobFlow)[number]), `job ${j.jobId}`).toEqual(view(j))
  })

  it('gives one job its flow with every transition, updated_date left out', async () => {
    const job = simulation.truth.jobs(TO).find((j) => j.rejections > 0) as JobTruth
    const { job: answer } = expectOk(
      await graphql(t, JobFlowOfJobDocument, { id: String(job.jobId), to }, admin()),
    )
    const flow = answer?.flow
    expect(flow?.rejections).toBe(job.rejections)
    const fields = new Set(flow?.transitions.map((x) => x.field))
    expect([...fields].sort()).toEqual(['assignee', 'stage', 'state'])
    const stages = flow?.transitions.filter((x) => x.field === 'stage') ?? []
    expect(stages[0]).toMatchObject({ from: 'annotation', to: 'validation' })
    expect(stages.some((x) => x.from === 'validation' && x.to === 'annotation')).toBe(true)
    for (const [i, x] of stages.entries()) if (i > 0) expect(x.from).toBe(stages[i - 1]?.to)
    const assigned = flow?.transitions.find((x) => x.field === 'assignee')
    expect(assigned?.to).toBe(flow?.assigneeId)
    expect(simulation.plan.jobs.find((j) => j.id === job.jobId)?.assignee?.id).toBe(Number(flow?.assigneeId))
  })

  it('groups by shape type, day and week, and the groups add up to the totals', async () => {
    const ask = async (groupBy: ('USER' | 'SHAPE_TYPE' | 'DAY' | 'WEEK')[]) =>
      expectOk(
        await graphql(t, ProductivityDocument, { filter: { from, to }, groupBy, first: 1000 }, admin()),
      ).productivity
    const [total] = await ask([])
    const shapes = await ask(['SHAPE_TYPE'])
    const days = await ask(['DAY'])
    const weeks = await ask(['WEEK'])
    const sum = (
      rows: typeof shapes,
      k: 'objectsCreated' | 'manualObjectsCreated' | 'undo' | 'workingHours',
    ) => rows.reduce((a, r) => a + r[k], 0)
    for (const rows of [shapes, days, weeks]) {
      expect(sum(rows, 'objectsCreated')).toBe(total?.objectsCreated)
      expect(sum(rows, 'undo')).toBe(total?.undo)
      expect(sum(rows, 'workingHours')).toBeCloseTo(total?.workingHours ?? NaN, 9)
    }
    const types = shapes.map((r) => r.shapeType)
    const kinds = new Set(simulation.plan.projects.map((p) => p.kind))
    expect(types).toEqual(expect.arrayContaining(['rectangle', 'polygon', null]))
    expect(types.includes('tag')).toBe(kinds.has('tags'))
    // What has no shape type (working time, undo, redo) is its own row.
    expect(shapes.find((r) => r.shapeType === null)?.objectsCreated).toBe(0)
    expect(days.length).toBe(DAYS + 1)
    expect(days.map((r) => r.period)).toEqual([...days.map((r) => r.period)].sort())
    for (const w of weeks) expect(new Date(w.period as string).getUTCDay()).toBe(1)
  })

  it('shows a worker their own rows only, and refuses another user', async () => {
    const headers = demoAs(worker)
    const { productivity } = expectOk(
      await graphql(
        t,
        ProductivityDocument,
        { filter: { from, to }, groupBy: ['USER', 'JOB'], first: 1000 },
        headers,
      ),
    )
    expect(productivity.length).toBeGreaterThan(0)
    expect(new Set(productivity.map((r) => r.userId))).toEqual(new Set([String(worker.id)]))
    const { jobFlow } = expectOk(await graphql(t, JobFlowDocument, { filter: { from, to } }, headers))
    // Built from the worker's own events: the reviewer's verdicts are not theirs to see.
    expect(jobFlow.every((f) => f.rejections === 0 && f.acceptedAt === null)).toBe(true)
    const other = await graphql(
      t,
      ProductivityDocument,
      { filter: { from, to, userIds: [String(owner.id)] } },
      headers,
    )
    expect(other.status).toBe(403)
    expect(codeOf(other)).toBe('FORBIDDEN')
    const gaps = await graphql(
      t,
      IdleGapsDocument,
      { filter: { from, to, userIds: [String(owner.id)] } },
      headers,
    )
    expect(codeOf(gaps)).toBe('FORBIDDEN')
  })

  it('shows an owner their organization', async () => {
    const { productivity } = expectOk(
      await graphql(t, ProductivityDocument, { filter: { from, to }, first: 1000 }, demoAs(owner)),
    )
    const members = simulation.world.people
      .filter((p) => p.orgSlug === owner.orgSlug)
      .map((p) => String(p.id))
    expect(productivity.length).toBeGreaterThan(1)
    expect(members).toEqual(expect.arrayContaining(productivity.map((r) => r.userId)))
  })

  it('refuses cutoffs outside 10–3600 s, DAY with WEEK, and pages past the limit, naming the argument', async () => {
    for (const idleSeconds of [9, 3601]) {
      const r = await graphql(t, ProductivityDocument, { idleSeconds }, admin())
      expect(r.status).toBe(400)
      expect(codeOf(r)).toBe('BAD_USER_INPUT')
      expect(r.errors?.[0]?.extensions?.field).toBe('idleSeconds')
    }
    const both = await graphql(t, ProductivityDocument, { groupBy: ['DAY', 'WEEK'] }, admin())
    expect(both.errors?.[0]?.extensions?.field).toBe('groupBy')
    const many = await graphql(t, JobFlowDocument, { first: 100_000 }, admin())
    expect(many.errors?.[0]?.extensions?.field).toBe('first')
  })
})

describe('CSV', () => {
  const csv = async (path: string, headers: Record<string, string>) => {
    const res = await t.request('GET', path, { headers })
    const rows: Record<string, string>[] = parse(await res.text(), { columns: true })
    return { res, rows }
  }
  const range = () => `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`

  it('gives productivity per user and job with a header row and hours to 3 decimals, as the API', async () => {
    const { res, rows } = await csv(
      `/api/productivity.csv?${range()}&group_by=user,job&idle_seconds=300`,
      admin(),
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(res.headers.get('content-disposition')).toMatch(/productivity_\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.csv/)
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'user_id',
      'user_name',
      'job_id',
      'objects_created',
      'objects_updated',
      'objects_deleted',
      'manual_objects_created',
      'imported_objects_created',
      'automatic_objects_created',
      'working_hours',
      'objects_per_hour',
      'undo',
      'redo',
      'rework_ratio',
    ])
    const { productivity } = expectOk(
      await graphql(
        t,
        ProductivityDocument,
        { filter: { from, to }, groupBy: ['USER', 'JOB'], idleSeconds: 300, first: 1000 },
        admin(),
      ),
    )
    expect(rows.length).toBe(productivity.length)
    for (const [i, row] of rows.entries()) {
      const api = productivity[i] as (typeof productivity)[number]
      expect(row.working_hours).toMatch(/^\d+\.\d{3}$/)
      expect(row.working_hours).toBe(api.workingHours.toFixed(3))
      expect(row.manual_objects_created).toBe(String(api.manualObjectsCreated))
      expect(row.objects_per_hour).toBe(api.objectsPerHour === null ? '' : api.objectsPerHour.toFixed(3))
    }
  })

  it('gives the job flow one row per job, and a worker only their own', async () => {
    const { res, rows } = await csv(`/api/job-flow.csv?${range()}`, admin())
    expect(res.status).toBe(200)
    const { jobFlow } = expectOk(
      await graphql(t, JobFlowDocument, { filter: { from, to }, first: 1000 }, admin()),
    )
    expect(rows.map((r) => r.job_id)).toEqual(jobFlow.map((f) => f.jobId))
    expect(rows[0]?.hours_annotation).toMatch(/^\d+\.\d{3}$/)
    const accepted = rows.find((r) => r.accepted_at !== '')
    expect(accepted?.cycle_hours).toMatch(/^\d+\.\d{3}$/)

    const mine = await csv(`/api/productivity.csv?${range()}`, demoAs(worker))
    expect(new Set(mine.rows.map((r) => r.user_id))).toEqual(new Set([String(worker.id)]))
    const refused = await t.request('GET', `/api/productivity.csv?${range()}&user_id=${owner.id}`, {
      headers: demoAs(worker),
    })
    expect(refused.status).toBe(403)
  })

  it('answers 400 naming the parameter for a bad group or cutoff', async () => {
    for (const [query, field] of [
      ['group_by=team', 'group_by'],
      ['idle_seconds=5', 'idle_seconds'],
      ['idle_seconds=abc', 'idle_seconds'],
      ['group_by=day,week', 'group_by'],
    ] as const) {
      const res = await t.request('GET', `/api/productivity.csv?${query}`, { headers: admin() })
      expect(res.status, query).toBe(400)
      expect(JSON.stringify(await res.json()), query).toContain(field)
    }
  })
})
