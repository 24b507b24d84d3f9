import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { panelsSettled, screenshot } from '../support/browser.js'
import { startCvatWorld, type CvatWorld } from '../support/cvat-world.js'
import { ensureWebBuild } from '../support/web-build.js'

// A browser signed in to CVAT (its sessionid cookie) opens GraphiQL on the service, as it would
// under CVAT's host behind the /analytics-api/ route, and runs a query without typing a password.
const CHROMIUM = '/usr/bin/chromium'
const available = existsSync(CHROMIUM)
if (!available && process.env.E2E_REQUIRED)
  throw new Error(`E2E_REQUIRED is set but ${CHROMIUM} is missing (apt-get install chromium)`)

describe.skipIf(!available)('GraphiQL with the CVAT session cookie', () => {
  let world: CvatWorld
  let browser: Browser
  let url: string

  beforeAll(async () => {
    await ensureWebBuild()
    world = await startCvatWorld()
    url = (await world.t.app.start()).url.replace('localhost', '127.0.0.1')
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-gpu',
      ],
    })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await world?.stop()
  })

  it('runs a query as the CVAT user of the session, by GET so no CSRF header is needed', async () => {
    const { sessionid, csrftoken } = world.cvat.openSession('owen')
    const context = await browser.newContext()
    await context.addCookies([
      { name: 'sessionid', value: sessionid, url },
      { name: 'csrftoken', value: csrftoken, url },
    ])
    const page = await context.newPage()
    const query = '{ viewer { username source cvat { credential } } }'
    await page.goto(`${url}/graphql?query=${encodeURIComponent(query)}`)
    await page.locator('.graphiql-execute-button').click({ timeout: 30_000 })
    const result = page.locator('.result-window')
    const shown = async () => ((await result.textContent()) ?? '').replace(/\u00a0/g, ' ')
    await expect.poll(shown, { timeout: 20_000 }).toContain('viewer')
    expect(JSON.parse(await shown())).toEqual({
      data: { viewer: { username: 'owen', source: 'CVAT', cvat: { credential: 'SESSION' } } },
    })
    await context.close()
  }, 60_000)

  it('opens the web pages as the CVAT user of the session, in their organization, without a second sign-in', async () => {
    const { sessionid, csrftoken } = world.cvat.openSession('owen')
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    await context.addCookies([
      { name: 'sessionid', value: sessionid, url },
      { name: 'csrftoken', value: csrftoken, url },
    ])
    const page = await context.newPage()
    await page.goto(`${url}/monitoring`)
    await page.locator('.shell').waitFor({ timeout: 20_000 })
    expect(await page.locator('[data-user]').textContent()).toBe('owen')
    // Owen is a member of one organization (lab): the pages open in it, queries by POST with CVAT's CSRF token.
    await expect.poll(() => new URL(page.url()).searchParams.get('org')).toBe('lab')
    await expect.poll(() => page.locator('[data-scope]').textContent()).toContain('everyone in lab')
    await panelsSettled(page)
    expect(await page.locator('.state-error').count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0)
    await screenshot(page, 'cvat-session-monitoring')
    // The live tail's socket carries the session too (the CSRF token in connection_init).
    await page.goto(`${url}/exceptions?org=lab`)
    await expect
      .poll(() => page.locator('[data-live]').getAttribute('data-live'), { timeout: 15_000 })
      .toBe('live')
    await context.close()
  }, 60_000)
})
