import { AppError, forbidden, toAppError } from '../errors.js'
import type { Authenticator } from './access.js'
import type { Credentials } from './credentials.js'
import type { Access } from './principal.js'

export interface AccessWatchOptions {
  readonly auth: Authenticator
  /** What the connection authenticated with (its upgrade request and connectionParams). */
  readonly credentials: Credentials
  /** The Access those credentials gave when the connection opened. */
  readonly access: Access
  /**
   * Called once, when the credentials no longer give that access: UNAUTHENTICATED (CVAT or the
   * accounts file no longer knows them), FORBIDDEN (a membership, role or token changed), or
   * IDENTITY_UNAVAILABLE (CVAT down past the grace period). The transport closes the connection
   * (graphql-ws: 4401, 4403, 1013). The watch has stopped by then.
   */
  readonly onLost: (error: AppError) => void
  /** How often identities without an expiry (the accounts file's) are checked again. @default 30000 */
  readonly intervalMs?: number
  /** The shortest wait between two checks, whatever a TTL says. @default 1000 */
  readonly minDelayMs?: number
}

export interface AccessWatch {
  stop(): void
}

/**
 * Re-authenticates a long-lived connection's credentials, so that a principal CVAT stops
 * recognising (token revoked, session ended, user deactivated, removed from the organization)
 * loses its open subscriptions within CVAT_AUTH_TTL_S: a CVAT identity is checked again when its
 * cached answer goes stale (`freshUntilMs`), others every `intervalMs`. Each check goes through
 * the same Authenticator as a request, so caches, grace and rate limits apply alike.
 */
export function watchAccess(options: AccessWatchOptions): AccessWatch {
  const { auth, credentials, onLost } = options
  const intervalMs = options.intervalMs ?? 30_000
  const minDelayMs = options.minDelayMs ?? 1_000
  let timer: NodeJS.Timeout | undefined
  let stopped = false

  const schedule = (access: Access) => {
    if (stopped) return
    const { source } = access.principal
    const due = source.kind === 'cvat' ? source.freshUntilMs - Date.now() : intervalMs
    timer = setTimeout(() => void check(), Math.max(minDelayMs, due))
    timer.unref()
  }

  const lose = (error: AppError) => {
    if (stopped) return
    stopped = true
    onLost(error)
  }

  async function check(): Promise<void> {
    let renewed: Access
    try {
      renewed = await auth.access(credentials)
    } catch (error) {
      const coded = toAppError(error)
      // Anything but a coded answer is our own fault, not the caller's: look again later.
      if (coded instanceof AppError) lose(coded)
      else schedule(options.access)
      return
    }
    if (!sameAccess(options.access, renewed)) {
      lose(
        forbidden(
          'your access changed since this connection opened (role, membership or token); connect again',
        ),
      )
      return
    }
    schedule(renewed)
  }

  schedule(options.access)
  return {
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}

/** Whether two Accesses let their holder see and do the same: same user, role, token, organization and role there. */
export function sameAccess(a: Access, b: Access): boolean {
  const [x, y] = [a.principal, b.principal]
  return (
    x.source.kind === y.source.kind &&
    x.user.id === y.user.id &&
    x.user.role === y.user.role &&
    x.token?.kind === y.token?.kind &&
    a.org?.id === b.org?.id &&
    a.orgRole === b.orgRole
  )
}
