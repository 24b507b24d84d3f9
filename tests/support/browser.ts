import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { expect } from 'vitest'

/** Debian's Chromium, which .ci/run installs. */
export const CHROMIUM = '/usr/bin/chromium'
export const chromiumAvailable = existsSync(CHROMIUM)
if (!chromiumAvailable && process.env.E2E_REQUIRED)
  throw new Error(`E2E_REQUIRED is set but ${CHROMIUM} is missing (apt-get install chromium)`)

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

/** Where the pages' screenshots are kept (git-ignored), to be looked at. */
export const SCREENSHOTS = path.resolve(process.env.E2E_SCREENSHOTS ?? 'tmp/screenshots')

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/** Signs in through the form; resolves once the pages show. */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.locator('.shell').waitFor({ timeout: 20_000 })
}

/**
 * Waits until every panel of the page has its answer (data, no data, or a designed error), and
 * returns how long that took from the call.
 */
export async function panelsSettled(page: Page, timeout = 20_000): Promise<number> {
  const started = Date.now()
  await page.locator('[data-panel]').first().waitFor({ timeout })
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('[data-panel]')].every(
        (panel) =>
          panel.getAttribute('data-ready') === 'true' ||
          panel.querySelector('.state-error, .state-empty') !== null,
      ),
    null,
    { timeout },
  )
  return Date.now() - started
}

const require = createRequire(import.meta.url)
/** axe-core's script, run in the page (as a script of the test, which the page's CSP does not govern). */
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: unknown[] }[]
}

/** axe-core's check of the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE)
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } })
      .axe
    return (await axe.run({ resultTypes: ['violations'] })).violations
  })
  const serious = (violations as AxeViolation[]).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  )
  expect(
    serious.map(
      (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`,
    ),
    `axe on ${where}`,
  ).toEqual([])
}
