import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, TOKENS } from '../support/fixtures.js'
import { EXPECTED_WORKING_TIME_MS, seedWorld, WORLD_FROM, WORLD_TO } from '../support/world.js'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await seedWorld(t)
})
afterAll(async () => {
  await t.stop()
})

const range = `from=${new Date(WORLD_FROM).toISOString()}&to=${new Date(WORLD_TO).toISOString()}`

async function csv(query: string, headers: Record<string, string>) {
  const res = await t.request('GET', `/api/working-time.csv?${range}&${query}`, { headers })
  const text = await res.text()
  return {
    res,
    text,
    rows: res.status === 200 ? parse<Record<string, string>>(text, { columns: true }) : [],
  }
}

describe('GET /api/working-time.csv', () => {
  it('answers a spreadsheet of hours per user and job, as the Management dashboard computes them', async () => {
    const { res, text, rows } = await csv('group_by=user,job', as('admin'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="working_time_\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.csv"$/,
    )
    expect(text.split('\r\n')[0]).toBe('user_id,user_name,job_id,hours,working_time_ms,actions')
    const found = rows
      .filter((r) => Number(r.working_time_ms) > 0)
      .map((r) => ({ user: r.user_id, job: r.job_id || null, ms: Number(r.working_time_ms) }))
    expect(found).toEqual(expect.arrayContaining(EXPECTED_WORKING_TIME_MS.map((e) => ({ ...e }))))
    expect(found).toHaveLength(EXPECTED_WORKING_TIME_MS.length)
    const walt102 = rows.find((r) => r.user_id === '13' && r.job_id === '102')
    expect(walt102).toMatchObject({ user_name: 'walt', hours: (12_000 / 3_600_000).toFixed(4) })
  })

  it('applies the access rules: a worker in an organization gets their own rows only', async () => {
    const { res, rows } = await csv('group_by=user', as('walt', 'acme'))
    expect(res.status).toBe(200)
    expect(rows.map((r) => r.user_id)).toEqual(['13'])
    expect(rows[0]?.working_time_ms).toBe('52000')
  })

  it('refuses a filter naming another user with 403, and an unknown grouping with 400 naming group_by', async () => {
    const other = await csv('user_id=12', as('walt', 'acme'))
    expect(other.res.status).toBe(403)
    const bad = await csv('group_by=team', as('admin'))
    expect(bad.res.status).toBe(400)
    expect(JSON.parse(bad.text)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'group_by' })
  })

  it('serves read tokens and refuses ingest tokens', async () => {
    expect((await csv('', { authorization: `Bearer ${TOKENS.oliviaRead}` })).res.status).toBe(200)
    expect((await csv('', { authorization: `Bearer ${TOKENS.ingest}` })).res.status).toBe(403)
  })
})
