import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { chromiumAvailable, launchChromium, panelsSettled, screenshot, signIn } from '../support/browser.js'
import { closedPort } from '../support/closed-port.js'
import { PEOPLE } from '../support/fixtures.js'
import { ensureWebBuild } from '../support/web-build.js'
import { DEMO_PASSWORD, startWebWorld, type WebWorld } from '../support/web-world.js'

const HOUR = 3_600_000

describe.skipIf(!chromiumAvailable)('the web pages: sessions, live exceptions, designed states', () => {
  let world: WebWorld
  let browser: Browser
  /** The service's clock runs this far ahead of the real one (session expiry). */
  let ahead = 0

  beforeAll(async () => {
    await ensureWebBuild()
    world = await startWebWorld({ app: { now: () => Date.now() + ahead } })
    browser = await launchChromium()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await world?.t.stop()
  })

  it('signs in with the API’s credentials into an HttpOnly, SameSite=Lax session, signs out, and expires', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(world.url)
    await page.getByLabel('Username').fill(world.owner.username)
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.locator('.form-error').textContent()).toBe('Wrong username or password.')
    await screenshot(page, 'sign-in-refused')

    await signIn(page, world.url, world.owner.username, DEMO_PASSWORD)
    const cookies = Object.fromEntries((await context.cookies()).map((c) => [c.name, c]))
    expect(cookies.aa_session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(cookies.aa_csrftoken).toMatchObject({ httpOnly: false, sameSite: 'Lax' })
    // The session changes nothing without its CSRF token (a page of another site could not send it).
    const withoutToken = await page.evaluate(async () => {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'test' },
        body: JSON.stringify({ query: '{ viewer { username } }' }),
      })
      return { status: res.status, body: await res.text() }
    })
    expect(withoutToken.status).toBe(403)
    expect(withoutToken.body).toContain('CSRF')

    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect.poll(() => page.locator('[data-reason="signed-out"]').count()).toBe(1)
    expect((await context.cookies()).map((c) => c.name)).toEqual([])
    await page.reload()
    await page.getByLabel('Username').waitFor()

    // Past its lifetime (12 hours by default) the session no longer signs in; the page says why.
    await signIn(page, world.url, world.owner.username, DEMO_PASSWORD)
    await panelsSettled(page)
    ahead = 12 * HOUR + 60_000
    try {
      await page.getByRole('button', { name: /Refresh/ }).click()
      await expect.poll(() => page.locator('[data-reason="expired"]').count(), { timeout: 10_000 }).toBe(1)
      await screenshot(page, 'session-expired')
    } finally {
      ahead = 0
    }
    // Signing in again takes the reader back to the page they were on.
    await page.getByLabel('Username').fill(world.owner.username)
    await page.getByLabel('Password').fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await panelsSettled(page)
    await context.close()
  }, 120_000)

  it('shows an exception posted through POST /api/events on the live page within 2 s', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await signIn(page, world.url, world.owner.username, DEMO_PASSWORD)
    await page.goto(`${world.url}/exceptions?org=${world.owner.orgSlug}`)
    await expect
      .poll(() => page.locator('[data-live]').getAttribute('data-live'), { timeout: 15_000 })
      .toBe('live')
    const message = `TypeError: live check ${Date.now()}`
    const now = new Date().toISOString()
    const posted = Date.now()
    const res = await fetch(`${world.url}/api/events`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Basic ${Buffer.from(`${world.worker.username}:${DEMO_PASSWORD}`).toString('base64')}`,
        'X-Organization': world.worker.orgSlug,
        Prefer: 'return=minimal',
      },
      body: JSON.stringify({
        events: [
          { scope: 'send:exception', timestamp: now, payload: { message, stack: 'at f (app.js:1:1)' } },
        ],
        timestamp: now,
      }),
    })
    expect(res.status).toBe(201)
    const item = page.locator('[data-live-exception]', { hasText: message })
    await expect.poll(() => item.count(), { timeout: 2_000, interval: 50 }).toBe(1)
    expect(Date.now() - posted).toBeLessThan(2_000)
    expect(await item.textContent()).toContain(world.worker.username)
    await screenshot(page, 'exceptions-live')
    // Its request's events, one click away.
    await item.getByRole('link', { name: 'request' }).click()
    await panelsSettled(page)
    expect(new URL(page.url()).pathname).toBe('/events')
    expect(new URL(page.url()).searchParams.get('request')).toMatch(/^[0-9a-f-]{36}$/)
    expect(
      await page.locator('[data-panel="Events"] tbody tr:not(.details) td:nth-child(3)').allTextContents(),
    ).toEqual(['send:exception'])
    await page.close()
  }, 60_000)

  it('starts an export, follows it and downloads its file; working time downloads as CSV', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await signIn(page, world.url, world.owner.username, DEMO_PASSWORD)
    const org = world.owner.orgSlug
    await page.goto(`${world.url}/exports?org=${org}`)
    await page.getByRole('button', { name: 'Start export' }).click()
    const done = page.locator('[data-export][data-status="DONE"]')
    await done.waitFor({ timeout: 30_000 })
    await screenshot(page, 'exports-done')
    const href = (await done.getByRole('link', { name: 'Download' }).getAttribute('href')) ?? ''
    const file = await page.request.get(new URL(href, world.url).href)
    expect(file.status()).toBe(200)
    expect((await file.text()).split('\n')[0]).toContain('scope')

    await page.goto(`${world.url}/working-time?org=${org}&group=user`)
    await panelsSettled(page)
    const csvHref = (await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')) ?? ''
    const csv = await page.request.get(new URL(csvHref, world.url).href)
    expect(csv.status()).toBe(200)
    expect(csv.headers()['content-type']).toContain('text/csv')
    const lines = (await csv.text()).trim().split('\r\n')
    expect(lines[0]).toBe('user_id,user_name,hours,working_time_ms,actions')
    expect(lines.length).toBe((await page.locator('[data-panel="Working time"] tbody tr').count()) + 1)
    await page.close()
  }, 90_000)

  it('has designed screens for no data, a refused request and an organization the viewer is not in', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await signIn(page, world.url, world.owner.username, DEMO_PASSWORD)
    const org = world.owner.orgSlug

    await page.goto(
      `${world.url}/all-events?org=${org}&from=2001-01-01T00:00:00.000Z&to=2001-01-02T00:00:00.000Z`,
    )
    await panelsSettled(page)
    expect(await page.locator('[data-panel] [data-state="empty"]').count()).toBe(4)
    await screenshot(page, 'state-no-data')

    await page.goto(`${world.url}/events?org=${org}&after=not-a-cursor`)
    await panelsSettled(page)
    const refused = page.locator('[data-panel="Events"] .state-error')
    expect(await refused.getAttribute('data-code')).toBe('BAD_USER_INPUT')
    expect(await refused.textContent()).toContain('Request id')
    await screenshot(page, 'state-api-error')

    const other = world.simulation.world.organizations.find((o) => o.slug !== org)?.slug ?? 'nowhere'
    await page.goto(`${world.url}/?org=${other}`)
    await page.getByRole('heading', { name: 'You may not see this' }).waitFor()
    await screenshot(page, 'state-forbidden')
    await page.getByRole('button', { name: 'Go to your personal workspace' }).click()
    await page.locator('.shell').waitFor()
    expect(new URL(page.url()).searchParams.get('org')).toBe('')
    await page.close()
  }, 60_000)

  describe('while the store is unavailable', () => {
    let down: TestApp
    let url: string
    beforeAll(async () => {
      down = await startTestApp(
        { CLICKHOUSE_URL: `http://127.0.0.1:${await closedPort()}`, STORE_RETRY_MAX_MS: '1000' },
        { waitReady: false },
      )
      url = (await down.app.start()).url.replace('localhost', '127.0.0.1')
    }, 60_000)
    afterAll(async () => {
      await down?.stop()
    })

    it('signs in (accounts need no store) and says the store is unavailable on every panel', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page, url, PEOPLE.admin.username, PEOPLE.admin.password)
      await page.locator('[data-store="unavailable"]').waitFor()
      await panelsSettled(page)
      const codes = await page
        .locator('[data-panel] .state-error')
        .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-code')))
      expect(codes.length).toBeGreaterThan(0)
      expect(new Set(codes)).toEqual(new Set(['STORE_UNAVAILABLE']))
      await screenshot(page, 'state-store-unavailable')
      await page.close()
    }, 60_000)
  })
})
