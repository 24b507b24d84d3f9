import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readAccounts } from '../../src/auth/accounts-file.js'
import { DEMO_TOKEN_NAME } from '../../src/demo/accounts.js'
import type { TruthRow } from '../../src/demo/truth.js'
import { startTestApp, type TestApp } from '../support/app.js'

const run = promisify(execFile)
let t: TestApp
let url: string

// One organization (owner, supervisor, worker) over the day before a Thursday evening.
const SIZE = ['--users', '3', '--days', '1', '--end', '2026-11-26T18:00:00Z', '--seed', 'cli']

async function demo(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('node', ['--import', 'tsx', 'src/cli/demo.ts', ...args], {
    env: { ...process.env, DATA_DIR: t.dir },
    maxBuffer: 16 * 1024 * 1024,
  })
}

async function demoRows(): Promise<number> {
  const [row] = await t.sql.rows<{ n: string }>({
    name: 'test.demo.count',
    sql: 'SELECT count() AS n FROM default.events WHERE user_id > 1000',
  })
  return Number(row?.n)
}

beforeAll(async () => {
  t = await startTestApp()
  url = (await t.app.start()).url
})
afterAll(async () => {
  await t.stop()
})

describe('npm run demo', () => {
  it('simulates without sending or touching accounts with --dry-run', async () => {
    const accountsBefore = JSON.stringify(await readAccounts(t.config.accountsFile))
    const rowsBefore = await demoRows()
    const { stderr } = await demo(...SIZE, '--dry-run')
    expect(stderr).toMatch(/simulating 3 people in 1 organization \(northwind\)/)
    expect(stderr).toMatch(/simulated [\d,]+ events in .*\(nothing sent\)/)
    expect(stderr).toMatch(/change:frame\s+[\d,]+/)
    expect(JSON.stringify(await readAccounts(t.config.accountsFile))).toBe(accountsBefore)
    expect(await demoRows()).toBe(rowsBefore)
  })

  // One test, because each run builds on the last: the first adds the accounts, a re-run finds them.
  it('fills a running service over HTTP with the truth it then holds; a re-run keeps the accounts, another password is set', async () => {
    const { stdout, stderr } = await demo(
      ...SIZE,
      '--url',
      url,
      '--password',
      'cli-demo-password',
      '--print-truth',
      '--json',
    )
    expect(stderr).toMatch(/accounts added: 3 users, 1 organization, 3 memberships; 0 passwords set/)
    const sent = Number(/sent ([\d,]+) events/.exec(stderr)?.[1]?.replace(/,/g, ''))
    expect(sent).toBeGreaterThan(2_000)
    expect(await demoRows()).toBe(sent)

    const truth = (JSON.parse(stdout) as { people: TruthRow[] }).people
    const stored = await t.sql.rows<{
      user_id: string
      job_id: string | null
      ms: string
    }>({
      name: 'test.demo.working_time',
      sql: `SELECT user_id, job_id, sum(duration) AS ms FROM default.events
            WHERE scope = 'send:working_time' AND user_id > 1000 GROUP BY user_id, job_id`,
    })
    const key = (user: string | number, job: string | number | null) => `${user}|${job ?? '-'}`
    expect(Object.fromEntries(stored.map((r) => [key(r.user_id, r.job_id), Number(r.ms)]))).toEqual(
      Object.fromEntries(truth.filter((r) => r.cvatMs > 0).map((r) => [key(r.userId, r.jobId), r.cvatMs])),
    )

    const accounts = await readAccounts(t.config.accountsFile)
    expect(accounts.users.filter((u) => Number(u.id) > 1000).map((u) => [u.username, u.id])).toEqual([
      ['amara.k', '1001'],
      ['bruno.m', '1002'],
      ['chen.r', '1003'],
    ])
    expect(accounts.tokens.filter((k) => k.name === DEMO_TOKEN_NAME).every((k) => k.revokedAt !== null)).toBe(
      true,
    )

    // The same seed again: the accounts are there already, the events are sent again.
    const before = await demoRows()
    const rerun = await demo(...SIZE, '--url', url, '--password', 'cli-demo-password')
    expect(rerun.stderr).toMatch(/accounts added: 0 users, 0 organizations, 0 memberships; 0 passwords set/)
    expect(await demoRows()).toBe(2 * before)

    // Another password: everyone signs in with it.
    const another = await demo(...SIZE, '--seed', 'cli-2', '--url', url, '--password', 'another-password')
    expect(another.stderr).toMatch(/accounts added: 0 users, 0 organizations, 0 memberships; 3 passwords set/)
    expect(another.stderr).toMatch(/sent [\d,]+ events/)
    // A hang guard: three runs of the demo, each a child process (CI runs two suites at once).
  }, 300_000)

  it('says how to start the service when none answers', async () => {
    const failure = (await demo(...SIZE, '--url', 'http://127.0.0.1:9').catch((error: unknown) => error)) as {
      code: number
      stderr: string
    }
    expect(failure.code).toBe(1)
    expect(failure.stderr).toMatch(/the service at http:\/\/127\.0\.0\.1:9 is not reachable/)
    expect(failure.stderr).toMatch(/npm start/)
  })

  it('explains a bad option', async () => {
    const failure = (await demo('--speed', 'warp').catch((error: unknown) => error)) as {
      code: number
      stderr: string
    }
    expect(failure.code).toBe(1)
    expect(failure.stderr).toMatch(/--speed must be max, realtime or a positive factor, got 'warp'/)
  })
})
