import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { PEOPLE } from '../support/fixtures.js'
import { seedWorld } from '../support/world.js'

// Debian's Chromium, which .ci/run installs. Without it (a fresh machine) the test is skipped,
// unless E2E_REQUIRED is set, as CI does, where a missing browser is a failure.
const CHROMIUM = '/usr/bin/chromium'
const available = existsSync(CHROMIUM)
if (!available && process.env.E2E_REQUIRED)
  throw new Error(`E2E_REQUIRED is set but ${CHROMIUM} is missing (apt-get install chromium)`)

describe.skipIf(!available)('GraphiQL in a browser', () => {
  let t: TestApp
  let browser: Browser
  let url: string

  beforeAll(async () => {
    t = await startTestApp()
    await seedWorld(t)
    url = (await t.app.start()).url.replace('localhost', '127.0.0.1')
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-gpu',
      ],
    })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await t?.stop()
  })

  it('runs a query in GraphiQL and shows its result on the page', async () => {
    const context = await browser.newContext({
      httpCredentials: { username: PEOPLE.admin.username, password: PEOPLE.admin.password },
    })
    const page = await context.newPage()
    const query =
      '{ workingTime(filter: { from: "2024-05-06T00:00:00Z", to: "2024-05-07T00:00:00Z" }, groupBy: [USER]) { userName hours } }'
    await page.goto(`${url}/graphql?query=${encodeURIComponent(query)}`)
    await page.locator('.graphiql-execute-button').click({ timeout: 30_000 })
    const result = page.locator('.result-window')
    // The result editor renders spaces as no-break spaces.
    const shown = async () => ((await result.textContent()) ?? '').replace(/\u00a0/g, ' ')
    await expect.poll(shown, { timeout: 20_000 }).toContain('workingTime')
    const answer = JSON.parse(await shown()) as {
      data: { workingTime: { userName: string; hours: number }[] }
    }
    expect(answer.data.workingTime[0]).toEqual({ userName: 'walt', hours: 52 / 3600 })
    await context.close()
  }, 60_000)

  it("introspects the schema: the docs explorer lists Query (GraphiQL's own 15-level introspection query)", async () => {
    const context = await browser.newContext({
      httpCredentials: { username: PEOPLE.admin.username, password: PEOPLE.admin.password },
    })
    const page = await context.newPage()
    await page.goto(`${url}/graphql`)
    await page.getByRole('button', { name: /documentation explorer/i }).click({ timeout: 30_000 })
    const explorer = page.locator('.graphiql-doc-explorer')
    await expect
      .poll(async () => (await explorer.textContent()) ?? '', { timeout: 20_000 })
      .toContain('Query')
    await explorer.getByText('Query', { exact: true }).first().click()
    await expect
      .poll(async () => (await explorer.textContent()) ?? '', { timeout: 20_000 })
      .toContain('workingTime')
    if (process.env.E2E_SCREENSHOTS)
      await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/graphiql-docs.png` })
    await context.close()
  }, 60_000)
})
