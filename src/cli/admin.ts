#!/usr/bin/env node
import { parseArgs } from 'node:util'
import {
  AccountChangeError,
  addOrganization,
  addToken,
  addUser,
  removeMembership,
  removeOrganization,
  removeUser,
  revokeToken,
  setMembership,
  updateUser,
} from '../auth/account-admin.js'
import { readAccounts, updateAccounts, type AccountsData } from '../auth/accounts-file.js'
import { hashPassword, MIN_PASSWORD_LENGTH, randomPassword } from '../auth/passwords.js'
import { hashToken, newToken } from '../auth/tokens.js'
import { ConfigError, loadConfig } from '../config.js'

const USAGE = `Manage users, organizations, memberships and API tokens (the accounts file: ACCOUNTS_FILE,
default DATA_DIR/accounts.json). Changes apply to a running service within a second.

  npm run admin -- user add <username> [--role admin|user|worker] [--id N] [--email E] [--password P | --password-stdin]
  npm run admin -- user set <username> [--role R] [--email E] [--password P | --password-stdin | --random-password]
  npm run admin -- user remove <username>
  npm run admin -- user list
  npm run admin -- org add <slug> [--id N] [--name NAME]
  npm run admin -- org remove <slug>
  npm run admin -- org list
  npm run admin -- member set <org-slug> <username> --role owner|maintainer|supervisor|worker
  npm run admin -- member remove <org-slug> <username>
  npm run admin -- member list [<org-slug>]
  npm run admin -- token add <username> --kind read|ingest|grafana|metrics [--name NAME]
  npm run admin -- token revoke <token-id>
  npm run admin -- token list

Ids default to the next free number; give --id to use the ids of your CVAT instance, so that
events (which carry CVAT's user_id and org_id) match the accounts here. Without a password option
a random password is generated and printed once. Add --json to list commands for JSON output.`

const OPTIONS = {
  role: { type: 'string' },
  id: { type: 'string' },
  email: { type: 'string' },
  name: { type: 'string' },
  kind: { type: 'string' },
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'random-password': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

type Options = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values']

async function main(argv: string[]): Promise<void> {
  process.umask(0o077) // the accounts file and its directory are the service's alone
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true })
  const [noun, verb, ...rest] = positionals
  if (values.help || !noun || !verb) {
    console.log(USAGE)
    return
  }
  const file = loadConfig(process.env).accountsFile
  const change = (fn: (data: AccountsData) => Promise<AccountsData> | AccountsData) =>
    updateAccounts(file, async (data) => ({ data: await fn(data), result: undefined }))
  const arg = (i: number, what: string) => {
    const value = rest[i]
    if (value === undefined) throw new AccountChangeError(`missing ${what}\n\n${USAGE}`)
    return value
  }

  switch (`${noun} ${verb}`) {
    case 'user add': {
      const username = arg(0, 'username')
      const { password, generated } = await passwordFrom(values, true)
      const passwordHash = await hashPassword(password as string)
      await change((data) =>
        addUser(data, {
          username,
          role: values.role ?? 'user',
          passwordHash,
          ...pick(values, 'id', 'email'),
        }),
      )
      console.log(`added user '${username}'${generated ? ` with password ${password} (shown once)` : ''}`)
      return
    }
    case 'user set': {
      const username = arg(0, 'username')
      const { password, generated } = await passwordFrom(values, false)
      const passwordHash = password === undefined ? undefined : await hashPassword(password)
      await change((data) =>
        updateUser(data, username, {
          ...pick(values, 'role', 'email'),
          ...(passwordHash ? { passwordHash } : {}),
        }),
      )
      console.log(`updated user '${username}'${generated ? `; new password ${password} (shown once)` : ''}`)
      return
    }
    case 'user remove':
      await change((data) => removeUser(data, arg(0, 'username')))
      console.log(`removed user '${rest[0]}' with its memberships and tokens`)
      return
    case 'user list': {
      const data = await readAccounts(file)
      print(
        values.json,
        data.users.map(({ passwordHash: _hash, ...user }) => user),
      )
      return
    }
    case 'org add':
      await change((data) => addOrganization(data, { slug: arg(0, 'slug'), ...pick(values, 'id', 'name') }))
      console.log(`added organization '${rest[0]}'`)
      return
    case 'org remove':
      await change((data) => removeOrganization(data, arg(0, 'slug')))
      console.log(`removed organization '${rest[0]}' with its memberships`)
      return
    case 'org list':
      print(values.json, (await readAccounts(file)).organizations)
      return
    case 'member set':
      await change((data) => setMembership(data, arg(0, 'org slug'), arg(1, 'username'), values.role ?? ''))
      console.log(`'${rest[1]}' is ${values.role} of '${rest[0]}'`)
      return
    case 'member remove':
      await change((data) => removeMembership(data, arg(0, 'org slug'), arg(1, 'username')))
      console.log(`'${rest[1]}' is no longer a member of '${rest[0]}'`)
      return
    case 'member list': {
      const data = await readAccounts(file)
      const orgSlug = new Map(data.organizations.map((o) => [o.id, o.slug]))
      const username = new Map(data.users.map((u) => [u.id, u.username]))
      const rows = data.memberships
        .map((m) => ({
          org: orgSlug.get(m.orgId) ?? m.orgId,
          user: username.get(m.userId) ?? m.userId,
          role: m.role,
        }))
        .filter((m) => rest[0] === undefined || m.org === rest[0])
      print(values.json, rows)
      return
    }
    case 'token add': {
      const username = arg(0, 'username')
      const secret = newToken()
      const token = await updateAccounts(file, (data) => {
        const added = addToken(data, {
          username,
          kind: values.kind ?? '',
          name: values.name ?? '',
          hash: hashToken(secret),
        })
        return { data: added.data, result: added.token }
      })
      console.log(
        `token ${token.id} (${token.kind}) for '${username}':\n${secret}\nIt is shown once; use it as 'Authorization: Bearer <token>'.`,
      )
      return
    }
    case 'token revoke':
      await change((data) => revokeToken(data, arg(0, 'token id')))
      console.log(`revoked token ${rest[0]}`)
      return
    case 'token list': {
      const data = await readAccounts(file)
      const username = new Map(data.users.map((u) => [u.id, u.username]))
      print(
        values.json,
        data.tokens.map(({ hash: _hash, userId, ...t }) => ({ ...t, user: username.get(userId) ?? userId })),
      )
      return
    }
    default:
      throw new AccountChangeError(`unknown command '${noun} ${verb}'\n\n${USAGE}`)
  }
}

function pick<K extends keyof Options>(values: Options, ...keys: K[]): { [P in K]?: string } {
  const out: Record<string, string> = {}
  for (const key of keys) {
    const value = values[key]
    if (typeof value === 'string') out[key] = value
  }
  return out as { [P in K]?: string }
}

async function passwordFrom(
  values: Options,
  required: boolean,
): Promise<{ password?: string; generated: boolean }> {
  if (values.password !== undefined) return { password: checkedPassword(values.password), generated: false }
  if (values['password-stdin']) {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    const password = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '')
    return { password: checkedPassword(password), generated: false }
  }
  if (required || values['random-password']) return { password: randomPassword(), generated: true }
  return { generated: false }
}

/** The same minimum as ANALYTICS_ADMIN_PASSWORD, whichever way a password is given. */
function checkedPassword(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AccountChangeError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters long`)
  }
  return password
}

function print(asJson: boolean | undefined, rows: readonly object[]): void {
  if (asJson) console.log(JSON.stringify(rows, null, 2))
  else if (rows.length === 0) console.log('(none)')
  else console.table(rows)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const expected =
    error instanceof AccountChangeError ||
    error instanceof ConfigError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  console.error(expected ? (error as Error).message : error)
  process.exit(1)
})
