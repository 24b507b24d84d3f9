import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Statement } from '../../src/store/index.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as } from '../support/fixtures.js'
import { seedWorld, WORLD_FROM, WORLD_TO } from '../support/world.js'

// Event lists fetch only the columns their selection reads: a page of ids and names must not
// carry payloads (megabytes a row for some events) from the engine to the service.
let t: TestApp
const statements: Statement[] = []
beforeAll(async () => {
  t = await startTestApp({}, { observeStore: (s) => void statements.push(s) })
  await seedWorld(t)
})
afterAll(async () => {
  await t.stop()
})

const range = `from: "${new Date(WORLD_FROM).toISOString()}", to: "${new Date(WORLD_TO).toISOString()}"`

async function ask(query: string): Promise<{ sql: string[]; data: Record<string, unknown> }> {
  const from = statements.length
  const res = await t.request('POST', '/graphql', { body: { query }, headers: as('admin') })
  const body = (await res.json()) as { data: Record<string, unknown>; errors?: unknown }
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined()
  const sql = statements
    .slice(from)
    .filter((s) => s.name === 'events.page')
    .map((s) => s.sql)
  expect(sql.length).toBeGreaterThan(0)
  return { sql, data: body.data }
}

/** The select list of a read (before its first FROM). */
const selected = (sql: string) => sql.slice(0, sql.indexOf(' FROM ')).replace(/\s+/g, ' ')

describe('event lists read the columns their selection reads', () => {
  it('reads no payload nor value for ids, scopes and user names, and answers as a full read does', async () => {
    const narrow = await ask(`{ events(first: 1000, filter: { ${range} }) { nodes { id scope userName } } }`)
    for (const sql of narrow.sql) {
      expect(selected(sql)).not.toMatch(/\bpayload\b|\bobj_val\b|request_id|user_email/)
      expect(selected(sql)).toMatch(/scope/)
    }
    const full = await ask(
      `{ events(first: 1000, filter: { ${range} }) { nodes { id scope userName payload objVal requestId } } }`,
    )
    expect(selected(full.sql[0] ?? '')).toMatch(/payload/)
    const pick = (data: Record<string, unknown>) =>
      (data.events as { nodes: { id: string; scope: string; userName: string | null }[] }).nodes.map((n) => ({
        id: n.id,
        scope: n.scope,
        userName: n.userName,
      }))
    expect(pick(narrow.data)).toEqual(pick(full.data))
    expect(pick(narrow.data).length).toBeGreaterThan(10)
  })

  it('follows fragments, edges and cursors, and reads the payload for what is in it', async () => {
    const { sql } = await ask(`
      query { exceptions(filter: { ${range} }) { edges { cursor node { ...E } } pageInfo { endCursor } } }
      fragment E on ExceptionEvent { message userId }`)
    for (const s of sql) {
      expect(selected(s)).toMatch(/payload/)
      expect(selected(s)).not.toMatch(/\bobj_val\b|user_email|org_slug/)
    }
  })

  it('reads what every alias and inline fragment selects', async () => {
    const { sql } = await ask(
      `{ events(first: 5, filter: { ${range} }) { nodes { id } other: nodes { ... on Event { userEmail } } } }`,
    )
    expect(selected(sql[0] ?? '')).toMatch(/user_email/)
    expect(selected(sql[0] ?? '')).not.toMatch(/payload/)
  })
})
