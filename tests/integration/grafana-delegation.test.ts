import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EventsDocument, ViewerDocument } from '../../src/gql/graphql.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { addGrafanaToken, PEOPLE, TOKENS } from '../support/fixtures.js'
import { codeOf, expectOk, graphql } from '../support/graphql.js'
import { seedWorld, WORLD_FROM, WORLD_TO } from '../support/world.js'

/** A grafana token owned by the admin: delegation must never lend the owner's view. */
const GRAFANA_TOKEN = 'aat_test-grafana-delegation-token-0123456789'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await seedWorld(t)
  await addGrafanaToken(t, GRAFANA_TOKEN)
})
afterAll(async () => {
  await t.stop()
})

function grafana(user: string | null, org?: string): Record<string, string> {
  return {
    authorization: `Bearer ${GRAFANA_TOKEN}`,
    ...(user === null ? {} : { 'x-grafana-user': user }),
    ...(org ? { 'x-organization': org } : {}),
  }
}

const range = { from: new Date(WORLD_FROM).toISOString(), to: new Date(WORLD_TO).toISOString() }

async function usersSeen(headers: Record<string, string>): Promise<string[]> {
  const data = expectOk(await graphql(t, EventsDocument, { filter: range, first: 1000 }, headers))
  return [...new Set(data.events.edges.map((e) => e.node.userName ?? ''))].sort()
}

describe('a grafana token with X-Grafana-User', () => {
  it('acts as the named user, keeping the token kind', async () => {
    const data = expectOk(await graphql(t, ViewerDocument, {}, grafana('walt')))
    expect(data.viewer).toEqual({
      userId: PEOPLE.walt.id,
      username: 'walt',
      role: 'worker',
      orgSlug: null,
      orgRole: null,
      tokenKind: 'grafana',
      source: 'ACCOUNTS_FILE',
      cvat: null,
    })
  })

  it("sees a worker's own events only, as the worker would", async () => {
    expect(await usersSeen(grafana('walt', 'acme'))).toEqual(['walt'])
    expect(await usersSeen(grafana('walt'))).toEqual(['walt'])
  })

  it("sees an owner's organization in that organization's context", async () => {
    expect(await usersSeen(grafana('olivia', 'acme'))).toEqual(['olivia', 'sue', 'walt'])
    expect(await usersSeen(grafana('olivia'))).toEqual(['olivia'])
  })

  it('refuses an organization the named user is not a member of with 403', async () => {
    const result = await graphql(t, ViewerDocument, {}, grafana('walt', 'globex'))
    expect(result.status).toBe(403)
    expect(codeOf(result)).toBe('FORBIDDEN')
  })

  it('refuses a filter naming another user with 403, as for the user itself', async () => {
    const result = await graphql(
      t,
      EventsDocument,
      { filter: { ...range, userIds: [PEOPLE.olivia.id] } },
      grafana('walt'),
    )
    expect(result.status).toBe(403)
  })
})

describe('a grafana token without a usable X-Grafana-User', () => {
  it.each([
    ['no header', null, 'names none'],
    ['an empty header (anonymous Grafana users, alerting)', '', 'names none'],
    ['an unknown user', 'mallory', "no user 'mallory'"],
    ['the macro Infinity leaves when there is no signed-in user', '${__user.login}', 'no user'],
    ['two values (a panel adding its own header)', 'walt, admin', 'one user'],
  ])('is refused with 403 for %s', async (_case, user, message) => {
    const result = await graphql(t, ViewerDocument, {}, grafana(user))
    expect(result.status).toBe(403)
    expect(codeOf(result)).toBe('FORBIDDEN')
    expect(result.errors?.[0]?.message).toContain(message)
  })

  it('cannot export on its own', async () => {
    const res = await t.request('GET', '/api/events?job_id=101', { headers: grafana(null) })
    expect(res.status).toBe(403)
  })
})

describe('what a grafana token cannot do even with the header', () => {
  it('cannot send client events as the user', async () => {
    const res = await t.request('POST', '/api/events', {
      headers: grafana('walt'),
      body: {
        events: [{ scope: 'change:frame', timestamp: new Date().toISOString() }],
        timestamp: new Date().toISOString(),
      },
    })
    expect(res.status).toBe(403)
  })

  it('cannot send server events', async () => {
    const res = await t.request('POST', '/api/events/server', {
      headers: grafana('admin'),
      body: [{ scope: 'create:task', timestamp: new Date().toISOString(), source: 'server' }],
    })
    expect(res.status).toBe(403)
  })
})

describe('X-Grafana-User with other credentials', () => {
  it('is ignored: a read token acts as its own user', async () => {
    const data = expectOk(
      await graphql(
        t,
        ViewerDocument,
        {},
        { authorization: `Bearer ${TOKENS.oliviaRead}`, 'x-grafana-user': 'walt' },
      ),
    )
    expect(data.viewer.username).toBe('olivia')
    expect(data.viewer.tokenKind).toBe('read')
  })
})
