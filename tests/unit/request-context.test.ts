import { describe, expect, it } from 'vitest'
import { stampRequest } from '../../src/ingest/request-context.js'

const request = { requestId: 'r-1', userAgent: 'UA', remoteAddr: null, receivedAtMs: 0 }
const stamp = (text: string | null, object: Record<string, unknown>, keep = false) =>
  JSON.parse(stampRequest({ object, text }, request, keep)) as Record<string, unknown>

describe('stampRequest', () => {
  it.each([
    ['an object with fields', '{"a":1,"b":{"c":[1,2]}}', { a: 1, b: { c: [1, 2] } }],
    ['an empty object', '{}', {}],
    ['an empty object with spaces', ' { \n } \n', {}],
    ['text with trailing whitespace', '{"a":"}"}  \n', { a: '}' }],
  ])('splices the request into %s', (_name, text, object) => {
    expect(stamp(text, object)).toEqual({ ...object, request: { id: 'r-1', user_agent: 'UA' } })
  })

  it('serialises a payload sent as an object', () => {
    expect(stamp(null, { a: 1 })).toEqual({ a: 1, request: { id: 'r-1', user_agent: 'UA' } })
  })

  it('overwrites a client-supplied request id, keeping its other request fields', () => {
    expect(stamp('{"request":{"id":"forged","url":"/x"}}', { request: { id: 'forged', url: '/x' } })).toEqual(
      {
        request: { id: 'r-1', user_agent: 'UA', url: '/x' },
      },
    )
  })

  it('keeps an existing request id when asked to (server events)', () => {
    expect(stamp('{"request":{"id":"cvat"}}', { request: { id: 'cvat' } }, true)).toEqual({
      request: { id: 'cvat', user_agent: 'UA' },
    })
  })
})
