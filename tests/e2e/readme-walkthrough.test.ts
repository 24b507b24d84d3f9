import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'csv-parse/sync'
import { chromium, type Browser } from 'playwright-core'
import lockfile from 'proper-lockfile'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOCK_FILE } from '../../src/lifecycle/data-dir.js'
import { tryLockFile } from '../../src/lifecycle/lock-file.js'
import { markdownCommands, type ReadmeCommand } from '../support/readme-commands.js'

// The README walkthrough, as a newcomer follows it: the quick start's `npm install && npm start`
// (the build, then `node dist/main.js`), the first start's printed admin password, the README's
// curl examples, its `npm run admin` commands and `npm run demo`, each run as written with `sh -c`
// in document order; then a GraphiQL query in Chromium, an export through CVAT's flow, and Ctrl-C.
// Commands are found by what they say, so a README change that breaks one breaks this test.
//
// The environment is the default one, with two exceptions so that the walkthrough can run beside
// anything else on the machine: DATA_DIR is a fresh temporary folder (not ./data) and PORT a free
// port, given to every command (as "the same environment" the README asks for); the README's
// `localhost:8080` becomes `localhost:$PORT` in its curl examples and nothing else changes.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const README = 'README.md'
const CHROMIUM = '/usr/bin/chromium'
const missing = [CHROMIUM, '/usr/bin/curl'].filter((file) => !existsSync(file))
if (missing.length > 0 && process.env.E2E_REQUIRED)
  throw new Error(`E2E_REQUIRED is set but ${missing.join(' and ')} missing (apt-get install chromium curl)`)

// Hang guards, not timings: a cold build or a demo on a loaded two-core machine takes minutes.
const STEP_MS = 15 * 60_000

interface Ran {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
}

const commands = markdownCommands(ROOT, README)
const quickStart = commands.find((c) => /(^|&&\s*)npm start\b/.test(c.text))
const demoCommand =
  commands.find((c) => c.text === 'npm run demo') ?? commands.find((c) => /^npm run demo\b/.test(c.text))
const isAdmin = (c: ReadmeCommand) => /^npm run admin\b/.test(c.text)
/**
 * `npm run admin` as the README shows it; when the README only names the command, the first
 * block of it in the documents the README links to, in the README's order (the accounts
 * walkthrough), as a newcomer following the link would run it.
 */
const adminCommands = commands.some(isAdmin) ? [] : linkedAdminBlock()

function linkedAdminBlock(): ReadmeCommand[] {
  const readme = readFileSync(path.join(ROOT, README), 'utf8')
  const linked = [...readme.matchAll(/\]\((docs\/[\w-]+\.md)(?:#[\w-]*)?\)/g)].map((m) => m[1] as string)
  for (const file of new Set(linked)) {
    if (!existsSync(path.join(ROOT, file))) continue
    const found = markdownCommands(ROOT, file).filter(isAdmin)
    const block = found[0]?.block
    if (block !== undefined) return found.filter((c) => c.block === block)
  }
  return []
}

describe.skipIf(missing.length > 0)('the README walkthrough on the built service', () => {
  let env: Record<string, string>
  let dataDir: string
  let workDir: string
  let port: number
  let service: ChildProcess | undefined
  let serviceOut = ''
  let serviceErr = ''
  let serviceExit: Promise<number | null> = Promise.resolve(null)
  let browser: Browser | undefined
  let releaseLock: (() => Promise<void>) | undefined
  /** Passwords the walkthrough has seen printed, by username. */
  const passwords = new Map<string, string>()
  const durations: string[] = []

  beforeAll(async () => {
    // Two walkthroughs in one checkout (CI's two Node versions) share node_modules and dist.
    // The lock is refreshed by a timer; parsing the export's CSV blocks this process's event loop
    // for seconds, and on a loaded machine (Node 24 at load 13) for more than the default 10 s
    // after which the lock counts as stale and the refresh throws (ECOMPROMISED). Stale after 10
    // minutes: a walkthrough that died leaves the other to wait that long, at most.
    releaseLock = await lockfile.lock(path.join(ROOT, 'package.json'), {
      lockfilePath: path.join(tmpdir(), `annotation-analytics-walkthrough-${hashOf(ROOT)}.lock`),
      stale: 600_000,
      update: 15_000,
      retries: { retries: 720, minTimeout: 1_000, maxTimeout: 5_000 },
    })
    dataDir = await mkdtemp(path.join(tmpdir(), 'aa-walkthrough-data-'))
    workDir = await mkdtemp(path.join(tmpdir(), 'aa-walkthrough-cwd-'))
    port = await freePort()
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      PORT: String(port),
      DATA_DIR: dataDir,
    }
  }, STEP_MS)

  afterAll(async () => {
    await browser?.close()
    if (service?.exitCode === null && service.signalCode === null && service.pid !== undefined) {
      process.kill(-service.pid, 'SIGKILL')
      await serviceExit
    }
    await rm(dataDir, { recursive: true, force: true })
    await rm(workDir, { recursive: true, force: true })
    await releaseLock?.()
    if (durations.length > 0) console.info(`README walkthrough: ${durations.join(', ')}`)
  })

  /** Runs a README command as written, in the walkthrough's environment. */
  const run = (command: string, cwd = ROOT, timeoutMs = STEP_MS): Promise<Ran> => {
    const started = Date.now()
    const child = spawn('sh', ['-c', command], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    return new Promise((resolve, reject) => {
      child.once('error', reject)
      child.once('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }))
    })
  }
  const expectSuccess = (ran: Ran, command: ReadmeCommand) => {
    if (ran.code !== 0) {
      throw new Error(
        `${command.where}: \`${command.text}\` exited ${ran.code}\nstdout: ${ran.stdout}\nstderr: ${ran.stderr}`,
      )
    }
  }

  /** 1. `npm install && npm start`: the build, then dist/main.js; the admin password printed once. */
  const start = async () => {
    if (!quickStart) throw new Error(`${README} has no block with \`npm install && npm start\``)
    expect(quickStart.text).toMatch(/^npm install && npm start\b/)
    const started = Date.now()
    // Its own process group, so that Ctrl-C reaches npm, the shell and the service, as a terminal's does.
    const child = spawn('sh', ['-c', quickStart.text], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    service = child
    serviceExit = new Promise((resolve) => child.once('exit', (code) => resolve(code)))
    child.stdout.on('data', (chunk: Buffer) => (serviceOut += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (serviceErr += chunk.toString('utf8')))
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /annotation-analytics is serving on (http:\/\/\S+)/.exec(serviceOut)
        if (match?.[1]) resolve(match[1])
      })
      void serviceExit.then((code) =>
        reject(new Error(`\`${quickStart.text}\` exited ${code}:\n${serviceOut}\n${serviceErr}`)),
      )
    })
    durations.push(`npm install && npm start ${seconds(Date.now() - started)}`)
    expect(url).toBe(`http://localhost:${port}`)
    // What serves is what `npm start` built.
    expect(serviceOut).toMatch(/npm run -s build && node dist\/main\.js/)
    const printed = [...serviceErr.matchAll(/created user 'admin' with password (\S+) — shown once/g)]
    expect(printed).toHaveLength(1)
    passwords.set('admin', printed[0]?.[1] as string)
    const res = await fetch(`${url}/graphql?query=${encodeURIComponent('{ viewer { username role } }')}`, {
      headers: { authorization: basic('admin', passwords.get('admin') as string) },
    })
    expect(await res.json()).toEqual({ data: { viewer: { username: 'admin', role: 'admin' } } })
  }

  /** 2. The README's curl examples, `npm run admin` commands and `npm run demo`, in its order; events the demo sent. */
  const readmeSteps = async (): Promise<number> => {
    const steps = commands
      .filter(
        (c) =>
          (/^curl\b/.test(c.text) && c.text.includes('localhost:8080')) || isAdmin(c) || c === demoCommand,
      )
      .concat(adminCommands)
    if (!steps.some(isAdmin))
      throw new Error(`neither ${README} nor a document it links shows \`npm run admin\``)
    expect(steps.filter((c) => /^curl\b/.test(c.text)).length).toBeGreaterThan(0)
    if (!demoCommand) throw new Error(`${README} shows no \`npm run demo\``)
    let queryId: string | undefined
    let demoSent = 0
    for (const command of steps) {
      if (/^curl\b/.test(command.text)) {
        const text = curlAsRun(command, port, passwords, queryId)
        // A curl answers within seconds; one that streams (SSE) would never end on its own.
        const ran = await run(text, workDir, 120_000)
        expectSuccess(ran, command)
        const answer = ran.stdout
        const refused = /"code"\s*:\s*"[A-Z_]+"/.test(answer) || /^HTTP\/[\d.]+ [45]\d\d/m.test(answer)
        if (refused) throw new Error(`${command.where}: \`${text}\` was refused:\n${answer}`)
        queryId = /"query_id"\s*:\s*"([^"]+)"/.exec(answer)?.[1] ?? queryId
        continue
      }
      const ran = await run(command.text)
      expectSuccess(ran, command)
      durations.push(`${command.text} ${seconds(ran.ms)}`)
      for (const m of ran.stdout.matchAll(/added user '(\S+)' with password (\S+) \(shown once\)/g))
        passwords.set(m[1] as string, m[2] as string)
      for (const m of ran.stdout.matchAll(/updated user '(\S+)'; new password (\S+) \(shown once\)/g))
        passwords.set(m[1] as string, m[2] as string)
      if (command === demoCommand) {
        const output = ran.stderr
        demoSent = Number(/\bsent ([\d,]+) events in/.exec(output)?.[1]?.replace(/,/g, ''))
        const password = /Sign in as any demo user with password (\S+) \(shown once\)/.exec(output)?.[1]
        if (password === undefined) throw new Error(`the demo printed no password:\n${output}`)
        for (const m of output.matchAll(/(?:^ {2}|, )([a-z]+\.[a-z]) \(\w+\)/gm))
          passwords.set(m[1] as string, password)
      }
    }
    expect(demoSent).toBeGreaterThan(0)
    return demoSent
  }

  /** 3. GraphiQL in Chromium, signed in as admin: the demo team's working time of the last week. */
  const graphiql = async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run'],
    })
    const context = await browser.newContext({
      httpCredentials: { username: 'admin', password: passwords.get('admin') as string },
    })
    const page = await context.newPage()
    const query = '{ workingTime(groupBy: [USER]) { userName hours } }'
    await page.goto(`http://localhost:${port}/graphql?query=${encodeURIComponent(query)}`)
    // The answer GraphiQL received; its result editor renders only the lines in view, so a long
    // answer cannot be read back from the page whole.
    // GraphiQL sends queries as GET (useGETForQueries).
    const received = page.waitForResponse(
      (r) =>
        new URL(r.url()).pathname === '/graphql' &&
        (r.request().url() + (r.request().postData() ?? '')).includes('workingTime'),
      { timeout: 60_000 },
    )
    await page.locator('.graphiql-execute-button').click({ timeout: 60_000 })
    const answer = (await (await received).json()) as {
      data: { workingTime: { userName: string; hours: number }[] }
    }
    const result = page.locator('.result-window')
    const shown = async () => ((await result.textContent()) ?? '').replace(/\u00a0/g, ' ')
    await expect.poll(shown, { timeout: 60_000 }).toContain('workingTime')
    const team = answer.data.workingTime.filter(
      (row) => passwords.has(row.userName) && row.userName !== 'admin',
    )
    expect(team.length).toBeGreaterThan(0)
    expect(team.every((row) => row.hours > 0)).toBe(true)
    if (process.env.E2E_SCREENSHOTS)
      await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/readme-walkthrough-graphiql.png` })
    await context.close()
  }

  /** 4. CVAT's export flow: 202 with a query id, 201 once ready, then the CSV of everything stored. */
  const exportAll = async (demoSent: number) => {
    const authorization = basic('admin', passwords.get('admin') as string)
    const base = `http://localhost:${port}/api/events?include_exceptions=true`
    const started = await fetch(base, { headers: { authorization } })
    expect(started.status).toBe(202)
    const { query_id: id } = (await started.json()) as { query_id: string }
    await expect
      .poll(async () => (await fetch(`${base}&query_id=${id}`, { headers: { authorization } })).status, {
        timeout: STEP_MS,
        interval: 500,
      })
      .toBe(201)
    const download = await fetch(`${base}&query_id=${id}&action=download`, { headers: { authorization } })
    expect(download.status).toBe(200)
    expect(download.headers.get('content-disposition')).toMatch(
      /^attachment; filename="logs_\d{4}(_\d\d){5}\.csv"$/,
    )
    const csv = await download.text()
    // Counted before the CSV is parsed: parsing 165k rows blocks the event loop for seconds, and
    // a pooled keep-alive socket the service closed meanwhile would be reused unseen ("other side
    // closed"), a race of the test's client, not of the service.
    const stored = await storedEvents(port, authorization)
    const rows = parse<Record<string, string>>(csv, { columns: true })
    expect(Object.keys(rows[0] ?? {}).slice(0, 4)).toEqual(['scope', 'obj_name', 'obj_id', 'obj_val'])
    // Everything stored: the demo's events and what the README's examples sent.
    expect(rows.length).toBeGreaterThanOrEqual(demoSent)
    expect(rows.length).toBe(stored)
  }

  /** 5. Ctrl-C: the service stops cleanly and lets go of DATA_DIR. */
  const stop = async () => {
    const pid = service?.pid
    if (pid === undefined) throw new Error('the service did not start')
    process.kill(-pid, 'SIGINT')
    await serviceExit
    const lines = serviceErr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; message: string })
    expect(lines.some((l) => l.message === 'SIGINT: stopping')).toBe(true)
    expect(lines.filter((l) => l.level === 'error')).toEqual([])
    const lock = tryLockFile(path.join(dataDir, LOCK_FILE))
    expect(lock.ok).toBe(true)
    if (lock.ok) lock.release()
  }

  // One test: the steps are a walkthrough, each needs the ones before it.
  it(
    'starts, answers the README examples, takes the demo, shows GraphiQL, exports, and stops',
    async () => {
      await start()
      const demoSent = await readmeSteps()
      await graphiql()
      await exportAll(demoSent)
      await stop()
    },
    5 * STEP_MS,
  )
})

/** The README's curl command as run: the real port, the real passwords, the last export's id. */
function curlAsRun(
  command: ReadmeCommand,
  port: number,
  passwords: ReadonlyMap<string, string>,
  queryId: string | undefined,
): string {
  let text = command.text.replaceAll('localhost:8080', `localhost:${port}`)
  text = text.replace(/--user ([\w.@+-]+):PASSWORD\b/g, (_all, user: string) => {
    const password = passwords.get(user)
    if (password === undefined) {
      throw new Error(
        `${command.where}: the curl example signs in as '${user}', whom no README step before it creates ` +
          `(known: ${[...passwords.keys()].join(', ')}); a newcomer could not run it`,
      )
    }
    return `--user ${user}:${password}`
  })
  if (text.includes('query_id=…')) {
    if (queryId === undefined)
      throw new Error(`${command.where}: query_id=… with no export started before it`)
    text = text.replaceAll('query_id=…', `query_id=${queryId}`)
  }
  if (/…|PASSWORD/.test(text))
    throw new Error(`${command.where}: a placeholder the walkthrough cannot fill: ${text}`)
  return text
}

/** Events the store holds, by the GraphQL API (every bucket since 2000, 30-day buckets). */
async function storedEvents(port: number, authorization: string): Promise<number> {
  const query = `{ activity(filter: { from: "2000-01-01T00:00:00Z" }, interval: "2592000000") { buckets { count } } }`
  const res = await fetch(`http://localhost:${port}/graphql`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  })
  const body = (await res.json()) as { data: { activity: { buckets: { count: number }[] } } }
  return body.data.activity.buckets.reduce((sum, b) => sum + b.count, 0)
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(0)} s`
}

function hashOf(text: string): string {
  let h = 0
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0
  return (h >>> 0).toString(16)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}
