import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authorize } from '../../src/auth/policy.js'
import type { Access } from '../../src/auth/principal.js'
import { loadConfig } from '../../src/config.js'
import type { AuthorizedFilter, EventFilter } from '../../src/domain/filter.js'
import { matchesFilter } from '../../src/domain/filter-match.js'
import type { EventRecord } from '../../src/domain/event.js'
import { CommittedEvent } from '../../src/live/live-event.js'
import { createEngine, type Engine } from '../../src/store/engine.js'
import { insertEventBlock } from '../../src/store/events-write.js'
import { serializeEvent } from '../../src/store/event-record.js'
import { eventConditions } from '../../src/store/filter-sql.js'
import { migrate } from '../../src/store/migrations.js'
import { tempDir } from '../support/app.js'
import { eventMix, MIX_T0, pick, random } from '../support/event-mix.js'

// The live matcher is checked against the SQL it must agree with, on the same rows in a real
// engine: every filter below selects the same events in JavaScript and in ClickHouse.
let dir: string
let engine: Engine
const events: EventRecord[] = eventMix(600, 11)
const live = events.map((e) => new CommittedEvent(e, 0))
const groups = [...new Set(live.map((e) => e.exceptionGroup).filter((g) => g !== ''))]
const requestIds = [...new Set(live.map((e) => e.requestId))].slice(0, 5)

beforeAll(async () => {
  dir = await tempDir('aa-match-')
  engine = createEngine(loadConfig({ DATA_DIR: dir }).store)
  await migrate(engine, { retentionDays: 0 })
  await insertEventBlock(engine, { body: events.map(serializeEvent).join('\n') })
})
afterAll(async () => {
  await engine.close()
  await rm(dir, { recursive: true, force: true })
})

async function sqlIds(filter: EventFilter): Promise<string[]> {
  const where = eventConditions(filter as AuthorizedFilter)
  const rows = await engine.rows<{ event_id: string }>({
    name: 'test.match',
    sql: `SELECT event_id FROM ${engine.database}.events WHERE ${where.sql}`,
    params: where.params,
  })
  return rows.map((r) => r.event_id).sort() // the engine orders UUIDs by their bytes, not as text
}

function jsIds(filter: EventFilter): string[] {
  return live
    .filter((e) => matchesFilter(filter, e))
    .map((e) => e.eventId)
    .sort()
}

function randomFilter(rnd: () => number): EventFilter {
  const some = (values: readonly string[]) =>
    Array.from({ length: Math.floor(rnd() * 3) }, () => pick(rnd, values))
  const f: { -readonly [K in keyof EventFilter]: EventFilter[K] } = {}
  const at = () => MIX_T0 + Math.floor(rnd() * events.length) * 1000
  if (rnd() < 0.3) f.from = at()
  if (rnd() < 0.3) f.to = at()
  if (rnd() < 0.3) f.orgIds = some(['7', '8', '9', '18446744073709551615'])
  if (rnd() < 0.25) f.userIds = some(['10', '13', '20', '99'])
  if (rnd() < 0.25) f.userNames = some(['walt', 'Walt', 'gina', '', 'nobody'])
  if (rnd() < 0.2) f.projectIds = some(['1', '2'])
  if (rnd() < 0.2) f.taskIds = some(['11', '21'])
  if (rnd() < 0.2) f.jobIds = some(['101', '102', '201'])
  if (rnd() < 0.25) f.scopes = some(['change:frame', 'send:exception', 'load:job', 'create:task'])
  if (rnd() < 0.2) f.sources = some(['client', 'server'])
  if (rnd() < 0.2) f.objNames = some(['shape', 'track', ''])
  if (rnd() < 0.2) f.hasJob = rnd() < 0.5
  if (rnd() < 0.2) f.exceptionGroups = some(groups)
  if (rnd() < 0.2) f.requestIds = some([...requestIds, '', 'no-such-request'])
  return f
}

const person = (id: string, username: string, role: 'admin' | 'user' | 'worker' = 'user') => ({
  user: { id, username, email: null, role },
  token: null,
  source: { kind: 'accounts-file' } as const,
})
const acme = { id: '7', slug: 'acme', name: 'Acme' }
const ACCESSES: Record<string, Access> = {
  'admin, no organization': { principal: person('1', 'admin', 'admin'), org: null, orgRole: null },
  'admin in acme': { principal: person('1', 'admin', 'admin'), org: acme, orgRole: null },
  'owner of acme': { principal: person('10', 'olivia'), org: acme, orgRole: 'owner' },
  'worker of acme': { principal: person('13', 'walt', 'worker'), org: acme, orgRole: 'worker' },
  'user without organization': { principal: person('20', 'gina'), org: null, orgRole: null },
}

describe('matchesFilter agrees with the filter SQL', () => {
  it('selects the same events for 400 random filters', async () => {
    const rnd = random(5)
    for (let i = 0; i < 400; i++) {
      const filter = randomFilter(rnd)
      expect(jsIds(filter), JSON.stringify(filter)).toEqual(await sqlIds(filter))
    }
  })

  it.each(Object.entries(ACCESSES))(
    'selects the same events for what the policy gives the %s',
    async (_, access) => {
      const rnd = random(9)
      for (let i = 0; i < 30; i++) {
        const requested = randomFilter(rnd)
        let authorized: AuthorizedFilter
        try {
          authorized = authorize(access, requested)
        } catch {
          continue // FORBIDDEN: the subscription is refused before any event is matched
        }
        expect(jsIds(authorized), JSON.stringify(authorized)).toEqual(await sqlIds(authorized))
      }
    },
  )

  it('treats both time bounds as inclusive, to the millisecond', async () => {
    const at = MIX_T0 + 10_000
    const filter = { from: at, to: at }
    expect(jsIds(filter)).toHaveLength(1)
    expect(jsIds(filter)).toEqual(await sqlIds(filter))
  })
})
