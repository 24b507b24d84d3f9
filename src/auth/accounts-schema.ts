import { z } from 'zod'
import { GLOBAL_ROLES, ORG_ROLES, TOKEN_KINDS, type AccountsData } from './accounts-data.js'

const id = z.string().regex(/^\d{1,20}$/, 'must be a decimal id')
const time = z.iso.datetime({ offset: true })

// Loose objects: fields a newer version adds survive a read-modify-write by this one.
const schema = z.looseObject({
  version: z.literal(1),
  users: z.array(
    z.looseObject({
      id,
      username: z.string().min(1),
      email: z.string().nullable(),
      role: z.enum(GLOBAL_ROLES),
      passwordHash: z.string().min(1),
      createdAt: time,
    }),
  ),
  organizations: z.array(z.looseObject({ id, slug: z.string().min(1), name: z.string() })),
  memberships: z.array(z.looseObject({ orgId: id, userId: id, role: z.enum(ORG_ROLES) })),
  tokens: z.array(
    z.looseObject({
      id,
      userId: id,
      kind: z.enum(TOKEN_KINDS),
      name: z.string(),
      hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest'),
      createdAt: time,
      revokedAt: time.nullable(),
    }),
  ),
}) satisfies z.ZodType<AccountsData>

/** Raised when the accounts file is not what this version reads; names the file and each problem. */
export class AccountsFileError extends Error {
  override name = 'AccountsFileError'
}

/**
 * Checks the accounts file's content instead of trusting a cast: a hand edit that breaks it is
 * reported with the path of each problem (`users[2].role: …`), and nothing half-valid is used.
 */
export function parseAccounts(text: string, file: string): AccountsData {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new AccountsFileError(`${file} is not valid JSON: ${(error as Error).message}`)
  }
  const result = schema.safeParse(json)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
  throw new AccountsFileError(`${file} is not a valid accounts file: ${problems.slice(0, 5).join('; ')}`)
}

function formatPath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>(
      (text, key) =>
        typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
      '',
    ) || '(root)'
  )
}
