import { describe, expect, it } from 'vitest'
import { emptyRecord } from '../../src/ingest/records.js'
import { deserializeEvent, serializeEvent, type EventRecord } from '../../src/store/index.js'

describe('event serialization (TabSeparated)', () => {
  it('round-trips every column, nulls and awkward text included', () => {
    const record: EventRecord = {
      ...emptyRecord(),
      scope: 'send:exception',
      objName: 'tab\there',
      objId: '18446744073709551615',
      objVal: '\\N',
      source: 'client',
      timestampMs: 1716393600123,
      count: 3,
      duration: 4_294_967_295,
      projectId: '1',
      taskId: null,
      jobId: '3',
      userId: '4',
      userName: 'back\\slash',
      userEmail: null,
      orgId: '7',
      orgSlug: 'acme',
      payload: JSON.stringify({ message: 'line 1\nline 2', stack: 'at "x"\r\n\tat y' }),
      accessTokenId: null,
      remoteAddr: '::1',
      heartbeats: [-12_000, 0, 25_017],
    }
    const line = serializeEvent(record)
    expect(line).not.toMatch(/\n/)
    expect(line.split('\t')).toHaveLength(22)
    expect(line.split('\t').at(-1)).toBe('[-12000,0,25017]')
    expect(deserializeEvent(line)).toEqual(record)
  })

  it('reads back lines spooled before the heartbeats column, and rows without heartbeats', () => {
    const record = { ...emptyRecord(), scope: 'a:b', timestampMs: 1716393600007 }
    const line = serializeEvent(record)
    expect(line.split('\t').at(-1)).toBe('[]')
    expect(deserializeEvent(line)).toEqual(record)
    expect(deserializeEvent(line.split('\t').slice(0, -1).join('\t'))).toEqual(record)
  })

  it('writes the time as exact epoch seconds with milliseconds', () => {
    const line = serializeEvent({ ...emptyRecord(), scope: 'a:b', timestampMs: 1716393600007 })
    expect(line.split('\t')[6]).toBe('1716393600.007')
  })
})
