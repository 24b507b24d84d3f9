import { execFile } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, tempDir, type TestApp } from '../support/app.js'

const run = promisify(execFile)
let dir: string
let t: TestApp

async function admin(...args: string[]): Promise<string> {
  const { stdout } = await run('node', ['--import', 'tsx', 'src/cli/admin.ts', ...args], {
    env: { ...process.env, DATA_DIR: dir },
  })
  return stdout
}

beforeAll(async () => {
  dir = await tempDir('aa-cli-')
  t = await startTestApp({}, { dir })
})
afterAll(async () => {
  await t.stop()
  await rm(dir, { recursive: true, force: true })
})

const viewer = (authorization: string, org?: string) =>
  t.request('POST', '/graphql', {
    headers: { authorization, ...(org ? { 'x-organization': org } : {}) },
    body: { query: '{ viewer { userId username role orgRole tokenKind } }' },
  })

describe('admin command', () => {
  it('adds a user, an org, a membership and a token that a running service accepts', async () => {
    await admin('user', 'add', 'zoe', '--id', '77', '--email', 'zoe@x.test', '--password', 'zoe-password')
    await admin('org', 'add', 'initech', '--id', '9')
    await admin('member', 'set', 'initech', 'zoe', '--role', 'maintainer')
    const tokenOut = await admin('token', 'add', 'zoe', '--kind', 'read', '--name', 'grafana')
    const token = /aat_\S+/.exec(tokenOut)?.[0] as string
    await t.app.services.directory.refresh(true)

    const asZoe = await viewer(`Basic ${Buffer.from('zoe:zoe-password').toString('base64')}`, 'initech')
    expect(await asZoe.json()).toEqual({
      data: {
        viewer: { userId: '77', username: 'zoe', role: 'user', orgRole: 'maintainer', tokenKind: null },
      },
    })
    const withToken = await viewer(`Bearer ${token}`)
    expect(
      ((await withToken.json()) as { data: { viewer: { tokenKind: string } } }).data.viewer.tokenKind,
    ).toBe('read')

    const listed = JSON.parse(await admin('token', 'list', '--json')) as { id: string; user: string }[]
    const id = listed.find((x) => x.user === 'zoe')?.id as string
    await admin('token', 'revoke', id)
    await t.app.services.directory.refresh(true)
    expect((await viewer(`Bearer ${token}`)).status).toBe(401)
  })

  it('never writes passwords or tokens in clear', async () => {
    const file = await readFile(t.config.accountsFile, 'utf8')
    expect(file).not.toContain('zoe-password')
    expect(file).not.toContain('aat_')
  })

  it('explains a refused change and exits non-zero', async () => {
    // An organization of the fixtures: one another test creates may not exist yet.
    await expect(admin('member', 'set', 'acme', 'nobody', '--role', 'worker')).rejects.toMatchObject({
      stderr: expect.stringContaining("no user 'nobody'") as unknown,
    })
  })

  it('refuses a password shorter than 8 characters given on the command line, as on stdin', async () => {
    for (const args of [
      ['user', 'add', 'shorty', '--password', 'x'],
      ['user', 'set', 'zoe', '--password', 'seven77'],
    ]) {
      await expect(admin(...args)).rejects.toMatchObject({
        stderr: expect.stringContaining('at least 8 characters') as unknown,
      })
    }
    const file = await readFile(t.config.accountsFile, 'utf8')
    expect(file).not.toContain('shorty')
  })
})
