import { describe, expect, it } from 'vitest'
import { readClientBatch } from '../../src/ingest/client-batch.js'
import type { Identity, RequestContext } from '../../src/ingest/request-context.js'

const identity: Identity = {
  userId: '13',
  userName: 'walt',
  userEmail: 'walt@acme.test',
  orgId: '7',
  orgSlug: 'acme',
}
const RECEIVED = Date.UTC(2024, 4, 22, 16, 0, 10)
const request: RequestContext = {
  requestId: 'req-1',
  userAgent: 'UA/1',
  remoteAddr: '10.0.0.5',
  receivedAtMs: RECEIVED,
}
const limits = { maxEvents: 100, echo: true }

/** A batch sent by a client whose clock runs `skewMs` behind the server's. */
function batch(events: Record<string, unknown>[], skewMs = 0, extra: Record<string, unknown> = {}) {
  return { events, timestamp: new Date(RECEIVED - skewMs).toISOString(), ...extra }
}
const iso = (ms: number) => new Date(ms).toISOString()

describe('readClientBatch', () => {
  it('corrects every time for the client clock skew, previous_event included', () => {
    const skew = 60_000
    const clientNow = RECEIVED - skew
    const result = readClientBatch(
      batch([{ scope: 'draw:object', timestamp: iso(clientNow - 5_000), job_id: 1 }], skew, {
        previous_event: { scope: 'draw:object', timestamp: iso(clientNow - 35_000), job_id: 1 },
      }),
      identity,
      request,
      limits,
    )
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    expect(result.batch.records[0]?.timestampMs).toBe(RECEIVED - 5_000)
    const wt = result.batch.records.find((r) => r.scope === 'send:working_time')
    expect(wt?.duration).toBe(30_000)
    expect(result.batch.echo?.events[0]?.timestamp).toBe(iso(RECEIVED - 5_000))
  })

  it('overwrites identity fields from the principal, and the source is client', () => {
    const result = readClientBatch(
      batch([
        {
          scope: 'zoom:image',
          timestamp: iso(RECEIVED),
          user_id: 1,
          user_name: 'admin',
          user_email: 'root@x',
          org_id: 99,
          org_slug: 'evil',
          source: 'client',
        },
      ]),
      identity,
      request,
      limits,
    )
    if (!result.ok) throw new Error('rejected')
    expect(result.batch.records[0]).toMatchObject({
      userId: '13',
      userName: 'walt',
      userEmail: 'walt@acme.test',
      orgId: '7',
      orgSlug: 'acme',
      source: 'client',
      remoteAddr: '10.0.0.5',
    })
  })

  it('records the request id and user agent in every payload, keeping the client fields', () => {
    const result = readClientBatch(
      batch([
        {
          scope: 'send:exception',
          timestamp: iso(RECEIVED),
          payload: JSON.stringify({ message: 'boom', stack: 'at x' }),
        },
      ]),
      identity,
      request,
      limits,
    )
    if (!result.ok) throw new Error('rejected')
    expect(JSON.parse(result.batch.records[0]?.payload ?? '')).toEqual({
      message: 'boom',
      stack: 'at x',
      request: { id: 'req-1', user_agent: 'UA/1' },
    })
  })

  it('uses heartbeats for working time and does not store them', () => {
    const result = readClientBatch(
      batch([
        { scope: 'user:activity', timestamp: iso(RECEIVED - 60_000), job_id: 5, task_id: 4, project_id: 3 },
        { scope: 'user:activity', timestamp: iso(RECEIVED - 30_000), job_id: 5, task_id: 4, project_id: 3 },
      ]),
      identity,
      request,
      limits,
    )
    if (!result.ok) throw new Error('rejected')
    expect(result.batch.records.map((r) => r.scope)).toEqual(['send:working_time'])
    expect(result.batch.records[0]).toMatchObject({
      source: 'server',
      duration: 30_000,
      count: 1,
      jobId: '5',
      taskId: '4',
      projectId: '3',
      userId: '13',
      orgId: '7',
      timestampMs: RECEIVED - 60_000,
    })
    expect(JSON.parse(result.batch.records[0]?.payload ?? '')).toEqual({
      working_time: 30_000,
      request: { id: 'req-1', user_agent: 'UA/1' },
    })
    expect(result.batch.echo?.events).toHaveLength(2)
  })

  it('rejects the whole batch and names each bad event and field', () => {
    const result = readClientBatch(
      batch([
        { scope: 'draw:object', timestamp: iso(RECEIVED) },
        { scope: 'create:task', timestamp: iso(RECEIVED) },
        { scope: 'draw:object', timestamp: iso(RECEIVED), payload: '{not json' },
        { scope: 'change:frame', timestamp: iso(RECEIVED), count: 0 },
        { scope: 'draw:object', timestamp: 'soon' },
        { scope: 'draw:object', timestamp: iso(RECEIVED), job_id: -3 },
        { scope: 'draw:object', timestamp: iso(RECEIVED), payload: '[1,2]' },
        { scope: 'draw:object', timestamp: iso(RECEIVED), duration: 1.5 },
      ]),
      identity,
      request,
      limits,
    )
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problem).toBe('invalid')
    expect(result.errors.map((e) => [e.index, e.field])).toEqual([
      [1, 'events[1].scope'],
      [2, 'events[2].payload'],
      [3, 'events[3].count'],
      [4, 'events[4].timestamp'],
      [5, 'events[5].job_id'],
      [6, 'events[6].payload'],
      [7, 'events[7].duration'],
    ])
    expect(result.errors[0]?.message).toContain("'create:task' is not allowed from a client")
  })

  it('requires the batch send time', () => {
    const result = readClientBatch({ events: [] }, identity, request, limits)
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'timestamp' }] })
  })

  it('accepts a payload given as an object, and ids past 2^53 as strings', () => {
    const result = readClientBatch(
      batch([
        { scope: 'draw:object', timestamp: iso(RECEIVED), payload: { a: 1 }, job_id: '18446744073709551615' },
      ]),
      identity,
      request,
      limits,
    )
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    expect(result.batch.records[0]?.jobId).toBe('18446744073709551615')
    expect(result.batch.echo?.events[0]?.job_id).toBe('18446744073709551615')
  })

  it('answers 413 when a batch has more events than allowed', () => {
    const events = Array.from({ length: 3 }, () => ({ scope: 'draw:object', timestamp: iso(RECEIVED) }))
    const result = readClientBatch(batch(events), identity, request, { maxEvents: 2, echo: true })
    expect(result).toMatchObject({ ok: false, problem: 'too-many-events', errors: [{ field: 'events' }] })
  })

  it('rejects a body that is not an object, and events that are not an array', () => {
    expect(readClientBatch([1], identity, request, limits)).toMatchObject({
      ok: false,
      errors: [{ field: 'body' }],
    })
    expect(
      readClientBatch({ events: {}, timestamp: iso(RECEIVED) }, identity, request, limits),
    ).toMatchObject({
      ok: false,
      errors: [{ field: 'events' }],
    })
  })
})
