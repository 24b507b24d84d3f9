import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DemoPerson } from '../../src/demo/index.js'
import {
  chromiumAvailable,
  expectAccessible,
  launchChromium,
  panelsSettled,
  screenshot,
  signIn,
} from '../support/browser.js'
import { ensureWebBuild } from '../support/web-build.js'
import { DEMO_PASSWORD, startWebWorld, type WebWorld } from '../support/web-world.js'

/** Every page of the app, as the navigation lists them. */
const PAGES = [
  '/',
  '/all-events',
  '/management',
  '/monitoring',
  '/exceptions',
  '/exceptions/report',
  '/productivity',
  '/working-time',
  '/events',
  '/exports',
] as const

/** An alert rule the owner makes, firing as long as nobody sends its scope. */
const QUIET_RULE = 'Webhooks quiet'

const shotName = (role: string, path: string) =>
  `${role}${path === '/' ? '-overview' : path.replace(/\//g, '-')}`

/** The texts of one column of a panel's table (1-based, details toggles included). */
async function column(page: Page, panel: string, index: number): Promise<string[]> {
  return page
    .locator(`[data-panel="${panel}"] tbody tr:not(.details) td:nth-child(${index})`)
    .allTextContents()
}

/** People of the demo world who worked (have working time) in the window. */
const names = (people: readonly DemoPerson[]) => people.map((p) => p.username)

describe.skipIf(!chromiumAvailable)('the web pages in a browser, per role', () => {
  let world: WebWorld
  let browser: Browser

  beforeAll(async () => {
    await ensureWebBuild()
    world = await startWebWorld()
    browser = await launchChromium()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await world?.t.stop()
  })

  /** Opens every page as the viewer (in `org`), checks it settles without an error, keeps a screenshot. */
  async function visitAll(page: Page, role: string, org: string | null, axe: boolean): Promise<void> {
    for (const path of PAGES) {
      await page.goto(`${world.url}${path}${org ? `?org=${org}` : ''}`)
      await panelsSettled(page)
      expect(await page.locator('.state-error').count(), `${role} ${path}: an error panel`).toBe(0)
      expect(await page.locator('h1').first().textContent()).not.toBe('')
      await screenshot(page, shotName(role, path))
      if (axe) await expectAccessible(page, `${role} ${path}`)
    }
  }

  it('shows an admin every page filled with data from every organization, accessibly', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
    await page.goto(world.url)
    await page.getByLabel('Username').waitFor()
    await screenshot(page, 'sign-in')
    await expectAccessible(page, 'the sign-in form')
    await signIn(page, world.url, world.admin.username, world.admin.password)
    // An admin is in no organization: the personal workspace, where an admin sees everything.
    expect(new URL(page.url()).searchParams.has('org')).toBe(false)
    await expect.poll(() => page.locator('[data-scope]').textContent()).toContain('everything')
    await visitAll(page, 'admin', null, true)

    await page.goto(`${world.url}/working-time?group=user`)
    await panelsSettled(page)
    const people = new Set(await column(page, 'Working time', 1))
    const orgs = world.simulation.world.organizations
    expect(orgs.length).toBeGreaterThan(1)
    for (const org of orgs) {
      expect(
        [...people].some((name) => names(org.members).includes(name)),
        `someone of ${org.slug}`,
      ).toBe(true)
    }
    await page.goto(`${world.url}/`)
    await panelsSettled(page)
    expect(
      Number((await page.locator('[data-stat="events"]').textContent())?.replace(/\D/g, '')),
    ).toBeGreaterThan(1000)
    await page.close()
  }, 240_000)

  it('lands an owner in their organization, and shows its people only', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
    await signIn(page, world.url, world.owner.username, DEMO_PASSWORD)
    await expect.poll(() => new URL(page.url()).searchParams.get('org')).toBe(world.owner.orgSlug)
    await expect
      .poll(() => page.locator('[data-scope]').textContent())
      .toContain(`everyone in ${world.owner.orgSlug}`)
    expect(await page.locator('select[data-org]').inputValue()).toBe(world.owner.orgSlug)
    // A rule of the organization that fires (no event of a scope nobody sends), on Monitoring.
    const created = await fetch(`${world.url}/graphql`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Basic ${Buffer.from(`${world.owner.username}:${DEMO_PASSWORD}`).toString('base64')}`,
        'X-Organization': world.owner.orgSlug,
      },
      body: JSON.stringify({
        query: `mutation { createAlertRule(input: { name: "${QUIET_RULE}", kind: NO_EVENTS, filter: { scopes: ["create:webhook"] } }) { id } }`,
      }),
    })
    expect(created.status).toBe(200)
    await world.t.app.services.alerts.evaluateNow()
    await visitAll(page, 'owner', world.owner.orgSlug, false)
    await page.goto(`${world.url}/monitoring?org=${world.owner.orgSlug}`)
    await panelsSettled(page)
    expect(await column(page, 'Firing alert rules', 1)).toEqual([QUIET_RULE])

    await page.goto(`${world.url}/working-time?org=${world.owner.orgSlug}&group=user`)
    await panelsSettled(page)
    const people = await column(page, 'Working time', 1)
    const members = names(world.simulation.world.organizations[0]?.members ?? [])
    expect(people.length).toBeGreaterThan(1)
    expect(members).toEqual(expect.arrayContaining(people))
    await page.goto(`${world.url}/events?org=${world.owner.orgSlug}`)
    await panelsSettled(page)
    expect(members).toEqual(expect.arrayContaining([...new Set(await column(page, 'Events', 5))]))
    await page.close()
  }, 240_000)

  it('shows a worker their own events only, in every table and filter', async () => {
    const { worker } = world
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
    await signIn(page, world.url, worker.username, DEMO_PASSWORD)
    await expect.poll(() => new URL(page.url()).searchParams.get('org')).toBe(worker.orgSlug)
    await expect.poll(() => page.locator('[data-scope]').textContent()).toContain('your own events')
    await visitAll(page, 'worker', worker.orgSlug, false)

    // The owner's rule is the organization's: not the worker's to see.
    await page.goto(`${world.url}/monitoring?org=${worker.orgSlug}`)
    await panelsSettled(page)
    expect(await page.locator('[data-panel="Firing alert rules"] .state-empty').count()).toBe(1)

    await page.goto(`${world.url}/working-time?org=${worker.orgSlug}&group=user`)
    await panelsSettled(page)
    expect(await column(page, 'Working time', 1)).toEqual([worker.username])
    await page.goto(`${world.url}/events?org=${worker.orgSlug}`)
    await panelsSettled(page)
    const users = await column(page, 'Events', 5)
    expect(users.length).toBeGreaterThan(0)
    expect(new Set(users)).toEqual(new Set([worker.username]))
    // The Users variable lists the worker alone.
    await page.getByRole('button', { name: /^Users/ }).click()
    const options = page.locator('[role="group"][aria-label="Users"] .options label')
    await expect
      .poll(async () => (await options.allTextContents()).map((o) => o.trim()))
      .toEqual([worker.username])
    await page.goto(`${world.url}/management?org=${worker.orgSlug}`)
    await panelsSettled(page)
    expect(new Set(await column(page, 'Working time', 1))).toEqual(new Set([worker.username]))
    await page.close()
  }, 240_000)
})
