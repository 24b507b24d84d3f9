import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { as } from '../support/fixtures.js'

let t: TestApp
let port: number
beforeAll(async () => {
  t = await startTestApp({ CORS_ORIGINS: 'https://grafana.example.com' })
  port = (await t.app.start()).port
})
afterAll(async () => {
  await t?.stop()
})

/** Sends raw bytes over TCP (to send what fetch refuses to), returns the status line, headers and body. */
function rawHttp(request: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request))
    let data = ''
    socket.on('data', (chunk) => (data += chunk.toString('utf8')))
    socket.on('error', reject)
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n')
      resolve({ status: Number(head.split(' ')[1]), head, body })
    })
  })
}

const batch = {
  events: [{ scope: 'click:element', timestamp: '2024-05-06T09:00:00.000Z', obj_val: 'OBJ' }],
  timestamp: '2024-05-06T09:00:05.000Z',
}

describe('malformed requests', () => {
  it('answers an invalid Host header with 400 JSON and a request id, no stack trace', async () => {
    const answer = await rawHttp('GET /health HTTP/1.0\r\nHost: exa mple.com:xx\r\nConnection: close\r\n\r\n')
    expect(answer.status).toBe(400)
    expect(answer.head.toLowerCase()).toContain('x-request-id:')
    expect(answer.head.toLowerCase()).toContain('application/json')
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'BAD_REQUEST' })
    expect(answer.body).not.toMatch(/at |Error/)
  })

  it('answers malformed percent-encoding in a path with 400 JSON and a request id', async () => {
    const auth = as('admin').authorization ?? ''
    const answer = await rawHttp(
      `GET /api/requests/%E0%A4%A HTTP/1.0\r\nHost: localhost\r\nAuthorization: ${auth}\r\nConnection: close\r\n\r\n`,
    )
    expect(answer.status).toBe(400)
    expect(answer.head.toLowerCase()).toContain('x-request-id:')
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'BAD_USER_INPUT' })
    const viaFetch = await t.request('GET', '/api/requests/%E0%A4%A', { headers: as('admin') })
    expect(viaFetch.status).toBe(400)
  })

  it('answers every error as JSON, those yoga answers with an empty body included', async () => {
    const res = await t.request('POST', '/graphql', {
      headers: { ...as('admin'), 'content-type': 'application/xml' },
      raw: '<query/>',
    })
    expect(res.status).toBe(415)
    expect(res.headers.get('content-type')).toContain('application/json')
    expect(res.headers.get('x-request-id')).toBeTruthy()
    expect(((await res.json()) as { code: string }).code).toBe('UNSUPPORTED_MEDIA_TYPE')
  })
})

describe('strict UTF-8', () => {
  // "OBJ" replaced by bytes that are not UTF-8: a lone continuation byte, an overlong NUL.
  const invalid = (text: string) =>
    Buffer.concat(
      text
        .split('OBJ')
        .flatMap((part, i) =>
          i === 0 ? [Buffer.from(part)] : [Buffer.from([0xc0, 0x80, 0x80]), Buffer.from(part)],
        ),
    )

  it.each([
    ['/api/events', as('walt', 'acme'), JSON.stringify(batch)],
    ['/api/events/server', as('admin'), JSON.stringify([{ ...batch.events[0], scope: 'create:task' }])],
    ['/graphql', as('admin'), JSON.stringify({ query: '{ viewer { username } }', variables: { x: 'OBJ' } })],
  ])('refuses a body to %s that is not UTF-8 with 400, storing nothing', async (path, headers, text) => {
    const before = (await t.events()).length
    const res = await t.app.fetch(
      new Request(`http://test.local${path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: invalid(text),
      }),
    )
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('UTF-8')
    expect((await t.events()).length).toBe(before)
  })
})

describe('cross-site request forgery', () => {
  const form = (contentType: string, body: string) => ({
    headers: { ...as('walt', 'acme'), 'content-type': contentType, origin: 'https://evil.example.com' },
    raw: body,
  })

  it.each([
    ['application/x-www-form-urlencoded', 'query=mutation%7BstartExport%7BqueryId%7D%7D'],
    [
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\nmutation{startExport{queryId}}\r\n--x--',
    ],
    ['text/plain', '{"query":"mutation{startExport{queryId}}"}'],
  ])('refuses a GraphQL mutation sent as %s', async (type, body) => {
    const res = await t.request('POST', '/graphql', form(type, body))
    expect(res.status).toBe(415)
  })

  it.each([
    ['/api/events', 'text/plain', JSON.stringify(batch)],
    ['/api/events/export', 'application/x-www-form-urlencoded', 'a=b'],
    ['/api/events/export', 'multipart/form-data; boundary=x', '--x--'],
  ])('refuses POST %s as %s', async (path, type, body) => {
    const res = await t.request('POST', path, form(type, body))
    expect(res.status).toBe(415)
  })

  it('refuses a body-less POST from another site, and accepts it from curl or an allowed origin', async () => {
    const post = (origin?: string) =>
      t.request('POST', '/api/events/export?org=acme', {
        headers: { ...as('walt', 'acme'), ...(origin ? { origin } : {}) },
      })
    expect((await post('https://evil.example.com')).status).toBe(403)
    expect((await post()).status).toBe(202)
    expect((await post('https://grafana.example.com')).status).toBe(202)
  })
})
