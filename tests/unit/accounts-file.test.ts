import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addUser } from '../../src/auth/account-admin.js'
import { AccountsFileError, readAccounts, updateAccounts } from '../../src/auth/accounts-file.js'
import { AccountDirectory } from '../../src/auth/directory.js'
import { tempDir } from '../support/app.js'

let dir: string
let file: string
beforeEach(async () => {
  dir = await tempDir('aa-accounts-')
  file = path.join(dir, 'accounts.json')
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const addAlice = () =>
  updateAccounts(file, (data) => ({
    data: addUser(data, { username: 'alice', role: 'user', passwordHash: 'scrypt$x' }),
    result: undefined,
  }))

describe('accounts file', () => {
  it('takes over a lock a crashed command left behind, instead of failing', async () => {
    await mkdir(`${file}.lock`)
    const longAgo = new Date(Date.now() - 60_000)
    await utimes(`${file}.lock`, longAgo, longAgo)
    const started = Date.now()
    await addAlice()
    expect(Date.now() - started).toBeLessThan(5_000)
    expect((await readAccounts(file)).users.map((u) => u.username)).toEqual(['alice'])
  })

  it('serialises concurrent changes so that none is lost', async () => {
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((name) =>
        updateAccounts(file, (data) => ({
          data: addUser(data, { username: name, role: 'user', passwordHash: 'scrypt$x' }),
          result: undefined,
        })),
      ),
    )
    expect((await readAccounts(file)).users.map((u) => u.username).sort()).toEqual(['a', 'b', 'c', 'd'])
  })

  it('writes the file for its owner only', async () => {
    await addAlice()
    expect((await stat(file)).mode & 0o777).toBe(0o600)
  })

  it('refuses a broken hand edit, naming the file and the field', async () => {
    await addAlice()
    const data = JSON.parse(await readFile(file, 'utf8')) as { users: { role: string }[] }
    data.users[0]!.role = 'superuser'
    await writeFile(file, JSON.stringify(data))
    await expect(readAccounts(file)).rejects.toThrow(AccountsFileError)
    await expect(readAccounts(file)).rejects.toThrow(/accounts\.json .*users\[0\]\.role/)
  })

  it('keeps serving the last good accounts while a hand edit is broken', async () => {
    await addAlice()
    const directory = await AccountDirectory.open(file)
    await writeFile(file, '{ "version": 1, "users": [')
    await directory.refresh(true)
    expect(directory.userByName('alice')?.username).toBe('alice')
  })

  it('keeps fields it does not know through a change', async () => {
    await writeFile(
      file,
      JSON.stringify({ version: 1, users: [], organizations: [], memberships: [], tokens: [], note: 'kept' }),
    )
    await addAlice()
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ note: 'kept' })
  })
})
