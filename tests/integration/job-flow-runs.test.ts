import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventRecord } from '../../src/domain/event.js'
import { MS_PER_HOUR } from '../../src/domain/units.js'
import { JobFlowDocument } from '../../src/gql/graphql.js'
import { eventAt, store } from '../support/alerts.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as } from '../support/fixtures.js'
import { expectOk, graphql } from '../support/graphql.js'

/**
 * A job's flow is read with its working time summed per run between two field changes and its
 * saves reduced to its first event (store/job-flow-read.ts): working time in the same millisecond
 * as a stage change falls on the side its request puts it, the first event (here working time)
 * starts the job and names its task and project, and the answer is the same from the raw rows and
 * from the rollups.
 */

const T0 = Date.UTC(2026, 10, 2, 8, 0, 0, 0)
const H = MS_PER_HOUR
const TO = T0 + 8 * H
const JOB = '7001'

let t: TestApp

const ofJob = (atMs: number, scope: string, request: string, fields: Partial<EventRecord> = {}) =>
  eventAt(atMs, {
    scope,
    source: 'server',
    jobId: JOB,
    taskId: '11',
    projectId: '3',
    userId: '501',
    userName: 'rev',
    payload: JSON.stringify({ request: { id: request } }),
    ...fields,
  })
const working = (atMs: number, request: string, ms: number) =>
  ofJob(atMs, 'send:working_time', request, { duration: ms })
const stage = (atMs: number, request: string, value: string) =>
  ofJob(atMs, 'update:job', request, { objName: 'stage', objVal: value })

beforeAll(async () => {
  t = await startTestApp()
  await t.app.services.store.rollups.whenReady()
  await store(t, [
    // The job's first event is working time; its task and project come from it.
    working(T0, 'r00', 60_000),
    ofJob(T0 + 1 * H, 'create:shapes', 'r01', { count: 5, objName: 'rectangle', taskId: '12' }),
    // In the millisecond of the change: r04 before it (annotation), r06 after (validation).
    working(T0 + 2 * H, 'r04', 1_000),
    stage(T0 + 2 * H, 'r05', 'validation'),
    working(T0 + 2 * H, 'r06', 2_000),
    working(T0 + 3 * H, 'r07', 4_000),
    stage(T0 + 4 * H, 'r08', 'annotation'),
    working(T0 + 5 * H, 'r09', 8_000),
    working(T0 + 5 * H + 1, 'r10', 16_000),
    ofJob(T0 + 6 * H, 'update:job', 'r11', { objName: 'updated_date', objVal: '2026-11-02' }),
    stage(T0 + 6 * H, 'r12', 'acceptance'),
    working(T0 + 7 * H, 'r13', 32_000),
  ])
}, 120_000)
afterAll(async () => {
  await t.stop()
})

async function flow() {
  const filter = { from: new Date(T0).toISOString(), to: new Date(TO).toISOString() }
  const { jobFlow } = expectOk(await graphql(t, JobFlowDocument, { filter, first: 10 }, as('admin')))
  return jobFlow
}

const expected = {
  jobId: JOB,
  taskId: '11',
  projectId: '3',
  stage: 'acceptance',
  rejections: 1,
  hoursIn: { annotation: 4, validation: 2, acceptance: 2 },
  workingHoursIn: {
    annotation: (60_000 + 1_000 + 8_000 + 16_000) / H,
    validation: (2_000 + 4_000) / H,
    acceptance: 32_000 / H,
  },
  firstValidationAt: new Date(T0 + 2 * H).toISOString(),
  acceptedAt: new Date(T0 + 6 * H).toISOString(),
  cycleHours: 6,
}

describe('job flow from runs of working time', () => {
  it('puts working time on the side of a same-millisecond change its request orders it, from raw rows and from rollups', async () => {
    expect(await flow()).toEqual([expect.objectContaining(expected)])
    await t.app.services.store.rollups.flush()
    expect(await flow()).toEqual([expect.objectContaining(expected)])
  })
})
