import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCvatWorld, type CvatWorld } from '../support/cvat-world.js'

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
})
