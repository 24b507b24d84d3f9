import { nextId, updateAccounts } from './accounts-file.js'
import { hashPassword, randomPassword, verifyPassword } from './passwords.js'

export interface BootstrapResult {
  /** Set only when the admin was created with a generated password: shown once, never stored. */
  readonly generatedPassword?: string
  readonly changed: 'created' | 'password-reset' | 'none'
}

/**
 * Makes sure the bootstrap `admin` exists. With ANALYTICS_ADMIN_PASSWORD set, the admin's password
 * follows it (set on creation, reset on start when it differs); unset, a first start creates the
 * admin with a random password that the caller prints once.
 */
export async function ensureAdmin(
  accountsFile: string,
  password: string | undefined,
): Promise<BootstrapResult> {
  return updateAccounts<BootstrapResult>(accountsFile, async (data) => {
    const admin = data.users.find((u) => u.username === 'admin')
    if (admin) {
      if (password === undefined || (await verifyPassword(password, admin.passwordHash))) {
        return { data, result: { changed: 'none' as const } }
      }
      const passwordHash = await hashPassword(password)
      const users = data.users.map((u) => (u === admin ? { ...u, passwordHash } : u))
      return { data: { ...data, users }, result: { changed: 'password-reset' as const } }
    }
    const generated = password === undefined ? randomPassword() : undefined
    const id = data.users.some((u) => u.id === '1') ? nextId(data.users) : '1'
    const user = {
      id,
      username: 'admin',
      email: null,
      role: 'admin' as const,
      passwordHash: await hashPassword(password ?? (generated as string)),
      createdAt: new Date().toISOString(),
    }
    const result: BootstrapResult = generated
      ? { changed: 'created', generatedPassword: generated }
      : { changed: 'created' }
    return { data: { ...data, users: [...data.users, user] }, result }
  })
}
