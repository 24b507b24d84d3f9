import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { updateUser } from '../../src/auth/account-admin.js'
import { updateAccounts } from '../../src/auth/accounts-file.js'
import { hashPassword } from '../../src/auth/passwords.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { closedPort } from '../support/closed-port.js'
import { PEOPLE } from '../support/fixtures.js'

const HOUR = 3_600_000
const SECRET = 'a-session-secret-shared-by-the-replicas-0123'

/** The cookies a response sets, by name: value and attributes. */
function setCookies(res: Response): Record<string, { value: string; attributes: string[] }> {
  return Object.fromEntries(
    res.headers.getSetCookie().map((line) => {
      const [pair = '', ...attributes] = line.split(';').map((p) => p.trim())
      const eq = pair.indexOf('=')
      return [pair.slice(0, eq), { value: pair.slice(eq + 1), attributes }]
    }),
  )
}

interface Session {
  readonly cookie: string
  readonly csrf: string
}

const viewer = '{ viewer { username orgSlug } }'

const downStore = async () => `http://127.0.0.1:${await closedPort()}`

describe('browser sessions (POST and DELETE /api/session)', () => {
  let t: TestApp
  let replica: TestApp
  let ahead = 0

  beforeAll(async () => {
    t = await startTestApp({ SESSION_SECRET: SECRET }, { now: () => Date.now() + ahead })
    // Another replica: its own data directory, the same accounts file and secret. Its store is a
    // server that is down (one process holds one embedded store); who is signed in needs none.
    replica = await startTestApp(
      { SESSION_SECRET: SECRET, ACCOUNTS_FILE: t.config.accountsFile, CLICKHOUSE_URL: await downStore() },
      { waitReady: false },
    )
  }, 120_000)
  afterAll(async () => {
    await replica?.stop()
    await t?.stop()
  })

  async function signIn(app: TestApp, username: string, password: string): Promise<Session> {
    const res = await app.request('POST', '/api/session', { body: { username, password } })
    expect(res.status).toBe(200)
    const cookies = setCookies(res)
    const session = cookies.aa_session
    const csrf = cookies.aa_csrftoken
    if (!session || !csrf) throw new Error('no session cookies')
    return { cookie: `aa_session=${session.value}; aa_csrftoken=${csrf.value}`, csrf: csrf.value }
  }

  const query = (app: TestApp, session: Session, options: { csrf?: string | null; org?: string } = {}) =>
    app.request('POST', `/graphql${options.org ? `?org=${options.org}` : ''}`, {
      headers: {
        cookie: session.cookie,
        ...(options.csrf === null ? {} : { 'x-csrftoken': options.csrf ?? session.csrf }),
      },
      body: { query: viewer },
    })

  it('opens a session with the API’s credentials: an HttpOnly, SameSite=Lax cookie and a CSRF token', async () => {
    const res = await t.request('POST', '/api/session', {
      body: { username: PEOPLE.olivia.username, password: PEOPLE.olivia.password },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = (await res.json()) as { username: string; expiresAt: string; csrfToken: string }
    expect(body.username).toBe('olivia')
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(11.9 * HOUR)
    const cookies = setCookies(res)
    expect(cookies.aa_session?.attributes).toEqual(
      expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${12 * 3600}`]),
    )
    expect(cookies.aa_csrftoken?.attributes).not.toContain('HttpOnly')
    expect(cookies.aa_csrftoken?.value).toBe(body.csrfToken)
  })

  it('signs requests in as the account, in the organization they name, through the access rules', async () => {
    const session = await signIn(t, 'olivia', PEOPLE.olivia.password)
    const res = await query(t, session, { org: 'acme' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ data: { viewer: { username: 'olivia', orgSlug: 'acme' } } })
    expect((await query(t, session, { org: 'globex' })).status).toBe(403)
    // Reads by GET need no CSRF token, as with CVAT's session.
    const get = await t.request('GET', `/graphql?query=${encodeURIComponent(viewer)}`, {
      headers: { cookie: session.cookie, accept: 'application/json' },
    })
    expect(get.status).toBe(200)
  })

  it('refuses a request that may change state without the session’s CSRF token, or from another site', async () => {
    const session = await signIn(t, 'walt', PEOPLE.walt.password)
    const missing = await query(t, session, { csrf: null })
    expect(missing.status).toBe(403)
    expect(((await missing.json()) as { errors: { message: string }[] }).errors[0]?.message).toContain(
      'CSRF token missing',
    )
    expect((await query(t, session, { csrf: 'x'.repeat(43) })).status).toBe(403)
    const other = await signIn(t, 'sue', PEOPLE.sue.password)
    expect((await query(t, session, { csrf: other.csrf })).status).toBe(403)
    const crossSite = await t.request('POST', '/graphql', {
      headers: { cookie: session.cookie, 'x-csrftoken': session.csrf, origin: 'https://evil.example' },
      body: { query: viewer },
    })
    expect(crossSite.status).toBe(403)
  })

  it('answers a wrong password 401, without a basic-auth challenge for the page’s script', async () => {
    const res = await t.request('POST', '/api/session', {
      headers: { 'x-requested-with': 'annotation-analytics' },
      body: { username: 'olivia', password: 'wrong password' },
    })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBeNull()
    expect(await res.json()).toMatchObject({ message: 'wrong username or password', code: 'UNAUTHENTICATED' })
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it('names the missing field of a malformed sign-in (400)', async () => {
    for (const [body, field] of [
      [{ password: 'x' }, 'username'],
      [{ username: 'olivia' }, 'password'],
      [{ username: 'olivia', password: 7 }, 'password'],
      [['olivia'], 'body'],
    ] as const) {
      const res = await t.request('POST', '/api/session', { body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(((await res.json()) as { field: string }).field).toBe(field)
    }
    const form = await t.request('POST', '/api/session', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      raw: 'username=olivia&password=x',
    })
    expect(form.status).toBe(415)
  })

  it('works on every replica that shares the secret and the accounts file', async () => {
    const session = await signIn(t, 'olivia', PEOPLE.olivia.password)
    const res = await query(replica, session)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ data: { viewer: { username: 'olivia', orgSlug: null } } })
  })

  it('ends at its expiry, with the reason for the page', async () => {
    const session = await signIn(t, 'mark', PEOPLE.mark.password)
    expect((await query(t, session)).status).toBe(200)
    ahead = 12 * HOUR + 1000
    try {
      const res = await query(t, session)
      expect(res.status).toBe(401)
      const body = (await res.json()) as {
        errors: { message: string; extensions: Record<string, unknown> }[]
      }
      expect(body.errors[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', session: 'expired' })
    } finally {
      ahead = 0
    }
  })

  it('ends when the account gets a new password', async () => {
    const session = await signIn(t, 'nora', PEOPLE.nora.password)
    expect((await query(t, session)).status).toBe(200)
    const passwordHash = await hashPassword('a brand new password')
    await updateAccounts(t.config.accountsFile, (data) => ({
      data: updateUser(data, 'nora', { passwordHash }),
      result: undefined,
    }))
    await t.app.services.directory.refresh(true)
    const res = await query(t, session)
    expect(res.status).toBe(401)
    expect(((await res.json()) as { errors: { extensions: unknown }[] }).errors[0]?.extensions).toMatchObject(
      {
        session: 'ended',
      },
    )
  })

  it('signs out by clearing both cookies; a forged or foreign cookie signs nobody in', async () => {
    const res = await t.request('DELETE', '/api/session')
    expect(res.status).toBe(204)
    const cleared = setCookies(res)
    expect(cleared.aa_session?.attributes).toContain('Max-Age=0')
    expect(cleared.aa_csrftoken?.attributes).toContain('Max-Age=0')
    const session = await signIn(t, 'olivia', PEOPLE.olivia.password)
    const [, claims = '', mac = ''] = /aa_session=([^;]+)/.exec(session.cookie)?.[1]?.split('.') ?? []
    const forged = JSON.parse(Buffer.from(claims, 'base64url').toString()) as Record<string, unknown>
    forged.uid = PEOPLE.admin.id
    const tampered = `v1.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${mac}`
    expect((await query(t, { cookie: `aa_session=${tampered}`, csrf: session.csrf })).status).toBe(401)
    // A key of its own (another deployment's) signs nothing here.
    const stranger = await startTestApp(
      { SESSION_SECRET: 'another-deployment-secret-0123456789abcdef', CLICKHOUSE_URL: await downStore() },
      { waitReady: false },
    )
    try {
      const theirs = await signIn(stranger, 'olivia', PEOPLE.olivia.password)
      expect((await query(t, theirs)).status).toBe(401)
    } finally {
      await stranger.stop()
    }
  })
})
