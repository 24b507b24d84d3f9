/**
 * How fast a dashboard of demo data shows its panels in Chromium (the budget: 1.5 s).
 * The service (buildApp, production mode) holds the demo simulator's team; a signed-in browser
 * opens each dashboard `--runs` times and times each visit from the navigation until every panel
 * shows its figure (or its designed empty state). Beside each page, the slowest GraphQL request of
 * the visit as the browser timed it: the page's own share is the difference.
 *
 *   npm run bench:web -- [--users 12] [--days 7] [--runs 5] [--cache on|off]
 */
import { parseArgs } from 'node:util'
import { chromium, type Page } from 'playwright-core'
import { ensureWebBuild } from '../tests/support/web-build.js'
import { startWebWorld } from '../tests/support/web-world.js'
import { commitLine, machineLine } from './support.js'

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '12' },
    days: { type: 'string', default: '7' },
    runs: { type: 'string', default: '5' },
    cache: { type: 'string', default: 'off' },
  },
})
const runs = Number(values.runs)
const PAGES = [
  '/',
  '/all-events',
  '/management',
  '/monitoring',
  '/exceptions/report',
  '/productivity',
] as const

async function settled(page: Page): Promise<void> {
  await page.locator('[data-panel]').first().waitFor({ timeout: 30_000 })
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('[data-panel]')].every(
        (p) =>
          p.getAttribute('data-ready') === 'true' || p.querySelector('.state-error, .state-empty') !== null,
      ),
    null,
    { timeout: 30_000, polling: 'raf' },
  )
}

async function visit(
  page: Page,
  url: string,
): Promise<{ ms: number; slowestQueryMs: number; errors: number }> {
  await page.goto('about:blank')
  const started = Date.now()
  await page.goto(url, { waitUntil: 'commit' })
  await settled(page)
  const ms = Date.now() - started
  const slowestQueryMs = await page.evaluate(() =>
    Math.max(
      0,
      ...performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/graphql'))
        .map((e) => e.duration),
    ),
  )
  return {
    ms,
    slowestQueryMs: Math.round(slowestQueryMs),
    errors: await page.locator('.state-error').count(),
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

process.env.NODE_ENV = 'production'
await ensureWebBuild()
const world = await startWebWorld({
  users: Number(values.users),
  days: Number(values.days),
  env: { RESPONSE_CACHE_TTL_MS: values.cache === 'on' ? '5000' : '0', LOG_LEVEL: 'error' },
})
// Aggregations read the rollups once their backfill is done, as a running service's do.
await world.t.app.services.store.rollups.whenReady()
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
})
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } })
  const page = await context.newPage()
  await page.goto(world.url)
  await page.getByLabel('Username').fill(world.admin.username)
  await page.getByLabel('Password').fill(world.admin.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.locator('.shell').waitFor()
  await settled(page)

  // The first page of a browser that has nothing cached yet (the scripts come over the wire).
  const fresh = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    storageState: await context.storageState(),
  })
  const first = await visit(await fresh.newPage(), `${world.url}/all-events`)
  await fresh.close()

  console.log(
    `${world.events} demo events, ${values.users} people, ${values.days} days; response cache ${values.cache}`,
  )
  console.log(
    `first visit, empty browser cache, All events: ${first.ms} ms (slowest query ${first.slowestQueryMs} ms)`,
  )
  console.log('| page | median ms | max ms | slowest query, median ms | panels with errors |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const path of PAGES) {
    const samples = []
    for (let i = 0; i < runs; i++) samples.push(await visit(page, `${world.url}${path}`))
    const ms = samples.map((s) => s.ms)
    console.log(
      `| ${path} | ${median(ms)} | ${Math.max(...ms)} | ${median(samples.map((s) => s.slowestQueryMs))} | ${Math.max(...samples.map((s) => s.errors))} |`,
    )
  }
  console.log(`machine: ${machineLine()}; commit ${commitLine()}; ${new Date().toISOString().slice(0, 10)}`)
} finally {
  await browser.close()
  await world.t.stop()
}
