import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExportStatusDocument } from '../../src/gql/graphql.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { csvObjects, expectedRecords, exportViaRest, parseCsv } from '../support/export-helpers.js'
import { as, basic, bearer, PEOPLE, type Person, TOKENS } from '../support/fixtures.js'
import { expectOk, graphql } from '../support/graphql.js'
import { seedWorld } from '../support/world.js'

let t: TestApp
beforeAll(async () => {
  // Windows of 4 rows: every export below is several engine queries stitched into one file.
  t = await startTestApp({ EXPORT_WINDOW_ROWS: '4' })
  await seedWorld(t)
})
afterAll(async () => {
  await t.stop()
})

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
// Spec §1's columns in order, without remote_addr: written out, so the test states the contract.
const CSV_HEADER = [
  'scope',
  'obj_name',
  'obj_id',
  'obj_val',
  'source',
  'timestamp',
  'count',
  'duration',
  'project_id',
  'task_id',
  'job_id',
  'user_id',
  'user_name',
  'user_email',
  'org_id',
  'org_slug',
  'payload',
  'access_token_id',
]

describe('GET /api/events: the seed flow over real HTTP', () => {
  it('answers 202 with a query_id, 202/201 while polling, 200 with the CSV as an attachment', async () => {
    const { url } = await t.app.start()
    const auth = { authorization: basic('olivia'), 'x-organization': 'acme' }
    const get = (query: string, init: RequestInit = {}) =>
      fetch(`${url}/api/events?${query}`, { headers: auth, ...init })

    const started = await get('job_id=101')
    expect(started.status).toBe(202)
    expect(started.headers.get('content-type')).toMatch(/^application\/json/)
    expect(started.headers.get('x-request-id')).toMatch(UUID)
    const body = (await started.json()) as Record<string, string>
    expect(Object.keys(body)).toEqual(['query_id'])
    const queryId = body.query_id as string
    expect(queryId).toMatch(UUID)

    let polled = await get(`job_id=101&query_id=${queryId}`)
    while (polled.status === 202) {
      expect(await polled.json()).toEqual({ query_id: queryId })
      await new Promise((resolve) => setTimeout(resolve, 20))
      polled = await get(`job_id=101&query_id=${queryId}`)
    }
    expect(polled.status).toBe(201)
    expect(await polled.text()).toBe('')

    // curl -I, as the seed checks it.
    const head = await get(`job_id=101&query_id=${queryId}`, { method: 'HEAD' })
    expect(head.status).toBe(201)
    expect(head.headers.get('x-request-id')).toMatch(UUID)

    const download = await get(`job_id=101&query_id=${queryId}&action=download`)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(download.headers.get('content-disposition')).toMatch(
      /^attachment; filename="logs_\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.csv"$/,
    )
    const text = await download.text()
    expect(Number(download.headers.get('content-length'))).toBe(Buffer.byteLength(text))
    const [header, ...records] = parseCsv(text)
    expect(header).toEqual(CSV_HEADER)
    expect(header).not.toContain('remote_addr')
    const expected = await expectedRecords(t, `org_id = 7 AND job_id = 101 AND scope != 'send:exception'`)
    expect(expected.length).toBeGreaterThan(4)
    expect(records).toEqual(expected)
  })
})

describe('GET /api/events: content, filters and defaults', () => {
  it('writes rows by timestamp ascending, ISO-8601 UTC times, NULL as an empty field, CRLF line ends', async () => {
    const { status, download } = await exportViaRest(t, '', as('admin'))
    expect(status.status).toBe(201)
    const text = await (await download()).text()
    expect(text.startsWith(`${CSV_HEADER.map((c) => `"${c}"`).join(',')}\r\n`)).toBe(true)
    const { rows } = csvObjects(text)
    const times = rows.map((r) => r.timestamp as string)
    expect(times.every((time) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(time))).toBe(true)
    expect([...times].sort()).toEqual(times)
    expect(rows.some((r) => r.job_id === '' && r.count === '')).toBe(true)
    expect(rows.map((r) => r.scope)).not.toContain('send:exception')
    expect(rows.map((r) => Object.values(r))).toEqual(await expectedRecords(t, `scope != 'send:exception'`))
  })

  it('narrows by org_id, project_id, task_id, user_id, from and to', async () => {
    const from = '2024-05-06T09:00:05Z'
    const to = '2024-05-06T10:00:10Z'
    const query = `org_id=7&project_id=1&task_id=11&user_id=13&from=${from}&to=${to}`
    const { download } = await exportViaRest(t, query, as('admin'))
    const records = parseCsv(await (await download()).text()).slice(1)
    expect(records).toEqual(
      await expectedRecords(
        t,
        `org_id = 7 AND project_id = 1 AND task_id = 11 AND user_id = 13 AND scope != 'send:exception'
         AND timestamp BETWEEN parseDateTime64BestEffort({from:String}, 3) AND parseDateTime64BestEffort({to:String}, 3)`,
        { from, to },
      ),
    )
    expect(records.length).toBeGreaterThan(0)
  })

  it('defaults to from the first event of the filter and to the time of the request', async () => {
    const before = Date.now()
    const { queryId } = await exportViaRest(t, 'task_id=11', as('admin'))
    const data = expectOk(await graphql(t, ExportStatusDocument, { queryId }, as('admin')))
    const [first] = await expectedRecords(t, `task_id = 11 AND scope != 'send:exception'`)
    expect(data.export.from).toBe(first?.[CSV_HEADER.indexOf('timestamp')])
    expect(Date.parse(data.export.to)).toBeGreaterThanOrEqual(before - 1)
    expect(Date.parse(data.export.to)).toBeLessThanOrEqual(Date.now())
  })

  it('keeps send:exception rows only when include_exceptions=true', async () => {
    const without = await exportViaRest(t, 'job_id=102', as('walt', 'acme'))
    const withExceptions = await exportViaRest(t, 'job_id=102&include_exceptions=true', as('walt', 'acme'))
    const scopes = async (r: { download: () => Promise<Response> }) =>
      csvObjects(await (await r.download()).text()).rows.map((row) => row.scope)
    expect(await scopes(without)).not.toContain('send:exception')
    expect(await scopes(withExceptions)).toContain('send:exception')
  })

  it('names the attachment after filename', async () => {
    const { download } = await exportViaRest(t, 'job_id=101&filename=job-101 events.csv', as('admin'))
    expect((await download()).headers.get('content-disposition')).toBe(
      'attachment; filename="job-101 events.csv"',
    )
  })

  it('writes a header-only CSV when nothing matches', async () => {
    const { status, download } = await exportViaRest(t, 'job_id=999999', as('admin'))
    expect(status.status).toBe(201)
    expect(parseCsv(await (await download()).text())).toEqual([CSV_HEADER])
  })

  it('writes JSON lines with format=jsonl', async () => {
    const { download } = await exportViaRest(t, 'job_id=101&format=jsonl', as('admin'))
    const res = await download()
    expect(res.headers.get('content-disposition')).toMatch(/filename="logs_[\d_]+\.jsonl"$/)
    const lines = (await res.text()).trimEnd().split('\n')
    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(Object.keys(objects[0] ?? {})).toEqual(CSV_HEADER)
    expect(objects.map((o) => o.job_id)).toEqual(objects.map(() => '101'))
    expect(objects).toHaveLength(
      (await expectedRecords(t, `job_id = 101 AND scope != 'send:exception'`)).length,
    )
  })
})

describe('GET /api/events: access', () => {
  it('exports only what the policy lets the caller see', async () => {
    const { download } = await exportViaRest(t, '', as('walt', 'acme'))
    const { rows } = csvObjects(await (await download()).text())
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => r.user_id === PEOPLE.walt.id && r.org_id === '7')).toBe(true)
  })

  it.each<[string, Person, string | undefined, string]>([
    ['a worker naming another user', 'walt', 'acme', 'user_id=10'],
    ['an owner naming another organization', 'olivia', undefined, 'org_id=8'],
    ['a user without organization naming another user', 'nora', undefined, 'user_id=13'],
  ])('answers 403 for %s', async (_name, person, org, query) => {
    const res = await t.request('GET', `/api/events?${query}`, { headers: as(person, org) })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ code: 'FORBIDDEN' })
  })

  it('answers 400 when org_id and the organization context name different organizations, as CVAT', async () => {
    const res = await t.request('GET', '/api/events?org_id=8', { headers: as('olivia', 'acme') })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'org_id' })
  })

  it("takes org_id as the organization context, as CVAT: an owner exports the organization's events", async () => {
    const { download } = await exportViaRest(t, 'org_id=7', as('olivia'))
    const { rows } = csvObjects(await (await download()).text())
    expect(new Set(rows.map((r) => r.org_id))).toEqual(new Set(['7']))
    expect(new Set(rows.map((r) => r.user_id)).size).toBeGreaterThan(1)
  })

  it('answers 401 without credentials and 403 for an ingest token', async () => {
    expect((await t.request('GET', '/api/events')).status).toBe(401)
    const res = await t.request('GET', '/api/events', { headers: { authorization: bearer(TOKENS.ingest) } })
    expect(res.status).toBe(403)
  })

  it("hides an export from everyone but its owner (404), and lets the owner's token download it", async () => {
    const { queryId } = await exportViaRest(t, 'job_id=101', as('olivia', 'acme'))
    for (const [person, org] of [
      ['mark', 'acme'],
      ['admin', undefined],
      ['walt', 'acme'],
    ] as const) {
      for (const query of [`query_id=${queryId}`, `query_id=${queryId}&action=download`]) {
        const res = await t.request('GET', `/api/events?${query}`, { headers: as(person, org) })
        expect(res.status, `${person}: ${query}`).toBe(404)
        expect(await res.json()).toMatchObject({ code: 'NOT_FOUND' })
      }
      const status = await t.request('GET', `/api/requests/${queryId}`, { headers: as(person, org) })
      expect(status.status).toBe(404)
    }
    const own = await t.request('GET', `/api/events?query_id=${queryId}&action=download`, {
      headers: { authorization: bearer(TOKENS.oliviaRead) },
    })
    expect(own.status).toBe(200)
    expect(parseCsv(await own.text()).length).toBeGreaterThan(1)
  })

  it('answers 404 for a query_id that never existed', async () => {
    const res = await t.request('GET', '/api/events?query_id=00000000-0000-4000-8000-000000000000', {
      headers: as('admin'),
    })
    expect(res.status).toBe(404)
  })
})

describe('GET /api/events: bad parameters', () => {
  it.each([
    ['job_id=abc', 'job_id'],
    ['org_id=-1', 'org_id'],
    ['user_id=1.5', 'user_id'],
    ['project_id=99999999999999999999999', 'project_id'],
    ['task_id=1e3', 'task_id'],
    ['from=yesterday', 'from'],
    ['to=2024-13-01T00:00:00Z', 'to'],
    ['from=2024-05-07T00:00:00Z&to=2024-05-06T00:00:00Z', 'from'],
    ['action=delete', 'action'],
    ['query_id=not-a-uuid', 'query_id'],
    ['filename=../etc/passwd', 'filename'],
    ['include_exceptions=maybe', 'include_exceptions'],
    ['format=xml', 'format'],
  ])('answers 400 naming the parameter for %s', async (query, field) => {
    const res = await t.request('GET', `/api/events?${query}`, { headers: as('admin') })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { message: string; code: string; field: string }
    expect(body).toMatchObject({ code: 'BAD_USER_INPUT', field })
    expect(body.message.startsWith(`${field}:`)).toBe(true)
  })

  it('answers 400 for a download without rq_id', async () => {
    const res = await t.request('GET', '/api/events/download', { headers: as('admin') })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rq_id' })
  })

  it("accepts an offset whose '+' arrived as a space", async () => {
    const res = await t.request('GET', '/api/events?job_id=101&from=2024-05-06T11:00:00 02:00', {
      headers: as('admin'),
    })
    expect(res.status).toBe(202)
  })
})

describe("CVAT's newer flow", () => {
  it('starts with POST /api/events/export, reports at /api/requests/{rq_id}, downloads from result_url', async () => {
    const start = await t.request('POST', '/api/events/export?job_id=101&filename=newer.csv', {
      headers: as('olivia', 'acme'),
    })
    expect(start.status).toBe(202)
    const { rq_id: rqId } = (await start.json()) as { rq_id: string }
    expect(rqId).toMatch(UUID)

    let status: Record<string, unknown> = {}
    for (let i = 0; i < 500; i += 1) {
      const res = await t.request('GET', `/api/requests/${rqId}`, { headers: as('olivia', 'acme') })
      expect(res.status).toBe(200)
      status = (await res.json()) as Record<string, unknown>
      if (status.status === 'finished' || status.status === 'failed') break
      expect(['queued', 'started']).toContain(status.status)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(status).toMatchObject({
      id: rqId,
      status: 'finished',
      message: '',
      progress: 1,
      owner: { id: 10, username: 'olivia' },
      operation: {
        type: 'export:events',
        target: 'events',
        project_id: null,
        task_id: null,
        job_id: null,
        format: 'CSV',
        lightweight: null,
      },
    })
    // CVAT's RequestSerializer's fields, in its order, then ours.
    expect(Object.keys(status)).toEqual([
      'status',
      'message',
      'id',
      'operation',
      'progress',
      'created_date',
      'started_date',
      'finished_date',
      'expiry_date',
      'owner',
      'result_url',
      'result_id',
      'rows_written',
      'bytes_written',
    ])
    const resultUrl = new URL(status.result_url as string)
    expect(resultUrl.pathname).toBe('/api/events/download')
    expect(resultUrl.searchParams.get('rq_id')).toBe(rqId)

    const res = await t.request('GET', `${resultUrl.pathname}${resultUrl.search}`, {
      headers: as('olivia', 'acme'),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="newer.csv"')
    expect(parseCsv(await res.text()).slice(1)).toEqual(
      await expectedRecords(t, `org_id = 7 AND job_id = 101 AND scope != 'send:exception'`),
    )
    const other = await t.request('GET', `${resultUrl.pathname}${resultUrl.search}`, {
      headers: as('mark', 'acme'),
    })
    expect(other.status).toBe(404)
  })
})

describe("CVAT's list of requests", () => {
  interface Page {
    count: number
    next: string | null
    previous: string | null
    results: { id: string; status: string; created_date: string; operation: { type: string } }[]
  }
  const list = async (query: string, person: Person = 'sue') => {
    const res = await t.request('GET', `/api/requests${query}`, { headers: as(person, 'acme') })
    return { status: res.status, body: (await res.json()) as Page }
  }

  it("lists the caller's exports as CVAT lists requests: newest first, paged, filtered, sorted", async () => {
    const ids: string[] = []
    for (const job of ['101', '102', '103']) {
      const start = await t.request('POST', `/api/events/export?job_id=${job}`, {
        headers: as('sue', 'acme'),
      })
      ids.push(((await start.json()) as { rq_id: string }).rq_id)
    }
    const { status, body } = await list('')
    expect(status).toBe(200)
    expect(Object.keys(body)).toEqual(['count', 'next', 'previous', 'results'])
    expect(body.count).toBe(3)
    expect(body.results.map((r) => r.id)).toEqual([...ids].reverse())
    expect(body.results.every((r) => r.operation.type === 'export:events')).toBe(true)
    // Someone else's are not theirs to see.
    expect((await list('', 'olivia')).body.results.map((r) => r.id)).not.toContain(ids[0])

    const first = await list('?page_size=2')
    expect(first.body).toMatchObject({ count: 3, previous: null })
    expect(first.body.results).toHaveLength(2)
    const next = new URL(first.body.next as string)
    expect(Object.fromEntries(next.searchParams)).toEqual({ page_size: '2', page: '2' })
    const second = await list(next.search)
    expect(second.body.results.map((r) => r.id)).toEqual([ids[0]])
    expect(second.body.next).toBeNull()
    expect(new URL(second.body.previous as string).searchParams.get('page')).toBeNull()
    expect(await list('?page=9')).toEqual({ status: 404, body: { detail: 'Invalid page.' } })

    expect((await list('?sort=created_date&page_size=all')).body.results.map((r) => r.id)).toEqual(ids)
    expect((await list('?action=export&target=events')).body.count).toBe(3)
    expect((await list('?action=import')).body.count).toBe(0)
    // CVAT records no job for an events export: a filter on one finds none.
    expect((await list('?job_id=101')).body.count).toBe(0)
    await expect.poll(async () => (await list('?status=finished')).body.count, { timeout: 20_000 }).toBe(3)
    expect((await t.request('GET', '/api/requests?sort=size', { headers: as('sue', 'acme') })).status).toBe(
      400,
    )
  })
})

describe('CSV round trip of hostile values', () => {
  it('brings payloads and text fields with commas, quotes, CR/LF, tabs, backslashes and emoji back intact', async () => {
    const hostile = {
      text: 'a,b "c" ""d"" \r\n e\tf \\g\\ ü 😀 ,"\n',
      list: ['x,,y', '"', '\r', '\n', ''],
      nested: { 'k,"ey"': 'line1\nline2\r\nline3', empty: '' },
    }
    const objVal = 'he said "hi", then\nleft\r\n,'
    const userName = 'Doe, "Jane"\n'
    const res = await t.request('POST', '/api/events/server', {
      headers: { authorization: bearer(TOKENS.ingest) },
      body: [
        {
          scope: 'update:task',
          timestamp: '2024-06-01T00:00:00.001Z',
          obj_name: 'name',
          obj_val: objVal,
          task_id: 4242,
          user_id: 77,
          user_name: userName,
          org_id: 7,
          payload: hostile,
        },
        {
          scope: 'update:task',
          timestamp: '2024-06-01T00:00:00.002Z',
          obj_val: '',
          task_id: 4242,
          org_id: 7,
        },
      ],
    })
    expect(res.status).toBe(201)
    const { download } = await exportViaRest(t, 'task_id=4242', as('admin'))
    const text = await (await download()).text()
    const { rows } = csvObjects(text)
    expect(rows).toHaveLength(2)
    const [first, second] = rows as [Record<string, string>, Record<string, string>]
    expect(first.obj_val).toBe(objVal)
    expect(first.user_name).toBe(userName)
    const payload = JSON.parse(first.payload as string) as Record<string, unknown>
    expect(payload).toMatchObject(hostile)
    const [stored] = await t.events('task_id = 4242 AND obj_name = {n:String}', { n: 'name' })
    expect(first.payload).toBe(stored?.payload)
    // An empty string stays distinguishable from NULL: "" against nothing at all.
    expect(second.obj_val).toBe('')
    expect(text).toContain('\r\n"update:task",,,"","server",')
  })
})

describe('export as CVAT exports', () => {
  it("writes only rows whose source is 'client' or 'server' on the REST flow, as CVAT's export does", async () => {
    const res = await t.request('POST', '/api/events/server', {
      headers: { authorization: bearer(TOKENS.ingest) },
      body: [
        {
          scope: 'user:activity',
          source: 'google_sheets',
          timestamp: '2024-06-02T00:00:00Z',
          job_id: 777,
          org_id: 7,
        },
        { scope: 'update:job', source: 'server', timestamp: '2024-06-02T00:00:01Z', job_id: 777, org_id: 7 },
      ],
    })
    expect(res.status).toBe(201)
    const { download } = await exportViaRest(t, 'job_id=777', as('admin'))
    const { rows } = csvObjects(await (await download()).text())
    expect(rows.map((r) => [r.scope, r.source])).toEqual([['update:job', 'server']])
    expect(await t.events('job_id = 777')).toHaveLength(2)
  })

  it.each([
    ['GET', '/api/events?job_id=101&cloud_storage_id=3'],
    ['GET', '/api/events?job_id=101&location=cloud_storage'],
    ['POST', '/api/events/export?job_id=101&cloud_storage_id=3'],
    ['POST', '/api/events/export?job_id=101&location=cloud_storage&cloud_storage_id=3'],
    ['POST', '/api/events/export?job_id=101&location=cloud_storage'],
  ])(
    "refuses to export to cloud storage on both flows, in CVAT's shape: %s %s → 400",
    async (method, path) => {
      const res = await t.request(method, path, { headers: as('admin') })
      expect(res.status).toBe(400)
      // DRF's rendering of CVAT's ValidationError: a list of the message.
      expect(await res.json()).toEqual(['This endpoint does not support exporting events to cloud storage'])
    },
  )

  it('takes location=local, the default', async () => {
    const res = await t.request('POST', '/api/events/export?job_id=101&location=local', {
      headers: as('admin'),
    })
    expect(res.status).toBe(202)
  })
})
