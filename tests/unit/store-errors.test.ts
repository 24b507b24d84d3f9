import { ClickHouseError } from '@clickhouse/client'
import { describe, expect, it } from 'vitest'
import type { StoreConfigError } from '../../src/store/errors.js'
import { mapEngineError, QueryTimeoutError, StoreUnavailableError } from '../../src/store/errors.js'
import { atLeast } from '../../src/store/server-version.js'

const clickhouse = (code: string, type: string) =>
  new ClickHouseError({ message: `something (${type})`, code, type })

describe('mapEngineError', () => {
  it.each([
    ['516', 'AUTHENTICATION_FAILED', 'misconfigured'],
    ['497', 'ACCESS_DENIED', 'misconfigured'],
    ['202', 'TOO_MANY_SIMULTANEOUS_QUERIES', 'busy'],
    ['241', 'MEMORY_LIMIT_EXCEEDED', 'busy'],
    ['243', 'NOT_ENOUGH_SPACE', 'storage'],
    ['60', 'UNKNOWN_TABLE', 'schema-missing'],
  ])('maps ClickHouse error %s (%s) to the store being unavailable: %s', (code, type, reason) => {
    const mapped = mapEngineError(clickhouse(code, type), 'q', 1000)
    expect(mapped).toBeInstanceOf(StoreUnavailableError)
    expect((mapped as StoreUnavailableError).reason).toBe(reason)
  })

  it('tells credentials from privileges, for the line an operator reads', () => {
    expect(
      (mapEngineError(clickhouse('516', 'AUTHENTICATION_FAILED'), 'q', 1) as StoreConfigError).problem,
    ).toBe('credentials')
    expect((mapEngineError(clickhouse('497', 'ACCESS_DENIED'), 'q', 1) as StoreConfigError).problem).toBe(
      'privileges',
    )
  })

  it('leaves an error of the statement itself alone, so the batch at fault is isolated, not spooled', () => {
    const syntax = clickhouse('62', 'SYNTAX_ERROR')
    expect(mapEngineError(syntax, 'q', 1000)).toBe(syntax)
  })

  it('maps timeouts and unreachability as before', () => {
    expect(mapEngineError(clickhouse('159', 'TIMEOUT_EXCEEDED'), 'q', 1000)).toBeInstanceOf(QueryTimeoutError)
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' })
    expect((mapEngineError(refused, 'q', 1000) as StoreUnavailableError).reason).toBe('unreachable')
  })

  it("takes a proxy's 502/503 for the server being away, and any other foreign answer for a wrong URL", () => {
    const proxy = mapEngineError(new Error('<html><h1>503 Service Unavailable</h1></html>'), 'q', 1, true)
    expect((proxy as StoreUnavailableError).reason).toBe('unreachable')
    const foreign = mapEngineError(new Error('Not Found'), 'q', 1, true)
    expect((foreign as StoreConfigError).problem).toBe('not-clickhouse')
    const embedded = new Error('Not Found')
    expect(mapEngineError(embedded, 'q', 1, false)).toBe(embedded)
  })
})

describe('atLeast', () => {
  it('compares versions part by part, as numbers', () => {
    expect(atLeast('22.2.1.2139', '22.2')).toBe(true)
    expect(atLeast('22.10.1', '22.2')).toBe(true)
    expect(atLeast('26.7.2.1', '22.2')).toBe(true)
    expect(atLeast('22.1.3.7', '22.2')).toBe(false)
    expect(atLeast('21.8.15.7', '22.2')).toBe(false)
    expect(atLeast('', '22.2')).toBe(false)
  })
})
