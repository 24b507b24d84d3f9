/** Why CVAT could not say who a caller is; none of these means the caller's credential is wrong. */
export type CvatUnavailableReason = 'unreachable' | 'timeout' | 'server-error' | 'bad-response'

/** CVAT answered 401: it does not know this credential (wrong password, revoked token, old session). */
export class CvatUnauthenticatedError extends Error {
  readonly code = 'CVAT_UNAUTHENTICATED'
  constructor(
    /** CVAT's `detail`, e.g. "Invalid token."; safe to show, it never repeats the credential. */
    readonly detail: string,
  ) {
    super(`CVAT refused the credential: ${detail}`)
    this.name = 'CvatUnauthenticatedError'
  }
}

/** CVAT could not be asked: refused, timed out, answered 5xx, or answered something we cannot read. */
export class CvatUnavailableError extends Error {
  readonly code = 'CVAT_UNAVAILABLE'
  constructor(
    readonly reason: CvatUnavailableReason,
    message: string,
    /** CVAT's HTTP status, when it answered. */
    readonly status: number | null = null,
  ) {
    super(message)
    this.name = 'CvatUnavailableError'
  }
}
