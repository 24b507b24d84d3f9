import { describe, expect, it } from 'vitest'
import type { RequestContext } from '../../src/ingest/request-context.js'
import { readServerEvents } from '../../src/ingest/server-events.js'

const request: RequestContext = {
  requestId: 'ours',
  userAgent: 'ingest/1',
  remoteAddr: null,
  receivedAtMs: Date.now(),
}
const limits = { maxEvents: 10 }

describe('readServerEvents', () => {
  it('takes identity as given and accepts the three timestamp shapes', () => {
    const result = readServerEvents(
      [
        {
          scope: 'create:task',
          timestamp: '2024-05-22T16:00:00.123Z',
          user_id: 42,
          user_name: 'alice',
          org_id: 7,
          obj_id: 3,
        },
        { scope: 'update:task', timestamp: 1716393600123, obj_name: 'name', obj_val: 'new name', task_id: 3 },
        { scope: 'delete:task', timestamp: '1716393600.123456', task_id: 3, access_token_id: 5 },
      ],
      request,
      limits,
    )
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    expect(result.records.map((r) => r.timestampMs)).toEqual([1716393600123, 1716393600123, 1716393600123])
    expect(result.records[0]).toMatchObject({
      userId: '42',
      userName: 'alice',
      orgId: '7',
      objId: '3',
      source: 'server',
    })
    expect(result.records[2]?.accessTokenId).toBe('5')
  })

  it('keeps the request id an event carries and stamps ours where none is given', () => {
    const result = readServerEvents(
      [
        {
          scope: 'delete:job',
          timestamp: 1716393600123,
          payload: JSON.stringify({ request: { id: 'cvat-req' } }),
        },
        { scope: 'delete:job', timestamp: 1716393600123 },
      ],
      request,
      limits,
    )
    if (!result.ok) throw new Error('rejected')
    expect((JSON.parse(result.records[0]?.payload ?? '') as { request: unknown }).request).toEqual({
      id: 'cvat-req',
      user_agent: 'ingest/1',
    })
    expect((JSON.parse(result.records[1]?.payload ?? '') as { request: unknown }).request).toEqual({
      id: 'ours',
      user_agent: 'ingest/1',
    })
  })

  it('names the index and field of every bad event', () => {
    const result = readServerEvents(
      [
        { scope: 'create:task', timestamp: 1716393600123 },
        { scope: 'nonsense', timestamp: 1716393600123 },
        'text',
        { scope: 'x:y' },
      ],
      request,
      limits,
    )
    expect(result).toMatchObject({
      ok: false,
      problem: 'invalid',
      errors: [
        { index: 1, field: '[1].scope' },
        { index: 2, field: '[2]' },
        { index: 3, field: '[3].timestamp' },
      ],
    })
  })

  it('rejects too many events with 413', () => {
    expect(readServerEvents(new Array(11).fill({}), request, limits)).toMatchObject({
      ok: false,
      problem: 'too-many-events',
    })
  })
})
