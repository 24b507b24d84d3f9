import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'

let t: TestApp
let loggerUrl: string
beforeAll(async () => {
  t = await startTestApp({ CVAT_LOGGER_PORT: '0' })
  const started = await t.app.start()
  expect(started.cvatLoggerPort).toBeGreaterThan(0)
  loggerUrl = `http://127.0.0.1:${started.cvatLoggerPort}/`
})
afterAll(async () => {
  await t.stop()
})

describe('CVAT server-logger listener', () => {
  it('answers 200 to a JSON array of events and stores them as sent', async () => {
    // What CVAT's vlogger sends: events rendered by record_server_event, epoch-seconds strings.
    const events = [
      {
        scope: 'create:task',
        timestamp: '1716393600.123456',
        source: 'server',
        obj_id: 50,
        task_id: 50,
        project_id: 5,
        user_id: 42,
        user_name: 'alice',
        org_id: 7,
        org_slug: 'acme',
        payload: JSON.stringify({ request: { id: 'cvat-req-1' } }),
      },
      JSON.stringify({
        scope: 'create:job',
        timestamp: '1716393600.200000',
        source: 'server',
        job_id: 501,
        task_id: 50,
        payload: JSON.stringify({ request: { id: 'cvat-req-1' } }),
      }),
    ]
    const res = await fetch(loggerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toBeTruthy()
    const stored = await t.events("request_id = 'cvat-req-1'")
    expect(stored.map((e) => [e.scope, e.timestamp, e.user_name])).toEqual([
      ['create:task', '2024-05-22T16:00:00.123Z', 'alice'],
      ['create:job', '2024-05-22T16:00:00.200Z', null],
    ])
  })

  it('answers 400 naming the event when one is invalid, storing none', async () => {
    const res = await fetch(loggerUrl, {
      method: 'POST',
      body: JSON.stringify([
        { scope: 'create:task', timestamp: '1716393600.5', obj_val: 'logger-bad' },
        { scope: 'create:task', obj_val: 'logger-bad' },
      ]),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ errors: [{ index: 1, field: '[1].timestamp' }] })
    expect(await t.events("obj_val = 'logger-bad'")).toEqual([])
  })

  it('serves the API and the listener on separate ports', async () => {
    const res = await fetch(loggerUrl.replace(/\/$/, '/health'), { method: 'GET' })
    expect(res.status).toBe(405)
  })
})
