import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** The cookie that carries a browser's session (HttpOnly), and the one its pages read the CSRF token from. */
export const SESSION_COOKIE = 'aa_session'
export const SESSION_CSRF_COOKIE = 'aa_csrftoken'

/** What a session cookie says, signed: whose session, since when, until when. */
export interface SessionClaims {
  /** A random id: the CSRF token is derived from it, so it changes with every sign-in. */
  readonly sid: string
  /** The account's user id. */
  readonly uid: string
  /**
   * A keyed digest of the account's password hash when the session opened: a new password ends
   * every session of that user, on every replica (the accounts file is what they share).
   */
  readonly pwd: string
  /** Issued and expires, epoch milliseconds. */
  readonly iat: number
  readonly exp: number
}

export type SessionReading =
  | { readonly ok: true; readonly claims: SessionClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'expired' }

const VERSION = 'v1'

/**
 * Signs and checks session cookies with one server key (SESSION_SECRET or DATA_DIR/session.key):
 * no state per process, so any replica with the key accepts a session any other opened. The
 * cookie is `v1.<claims as base64url JSON>.<HMAC-SHA256>`; it is HttpOnly, so pages cannot read
 * it, and the CSRF token pages send back is an HMAC of its session id under the same key.
 */
export class SessionSigner {
  private readonly key: Buffer

  constructor(secret: string | Buffer) {
    // A key of its own for sessions, even when the secret is shared with something else.
    this.key = createHmac('sha256', secret).update('annotation-analytics session v1').digest()
  }

  /** A new session for `uid`, valid `ttlMs` from `nowMs`. */
  issue(
    uid: string,
    passwordHash: string,
    nowMs: number,
    ttlMs: number,
  ): { token: string; claims: SessionClaims } {
    const claims: SessionClaims = {
      sid: randomBytes(16).toString('base64url'),
      uid,
      pwd: this.passwordDigest(passwordHash),
      iat: nowMs,
      exp: nowMs + ttlMs,
    }
    const body = `${VERSION}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`
    return { token: `${body}.${this.mac(body)}`, claims }
  }

  /** The claims of a cookie this key signed and that has not expired at `nowMs`. */
  read(token: string, nowMs: number): SessionReading {
    const parts = token.split('.')
    if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' }
    const body = `${parts[0]}.${parts[1]}`
    if (!equal(this.mac(body), parts[2] ?? '')) return { ok: false, reason: 'malformed' }
    let claims: SessionClaims
    try {
      claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as SessionClaims
    } catch {
      return { ok: false, reason: 'malformed' }
    }
    if (typeof claims.uid !== 'string' || typeof claims.exp !== 'number' || typeof claims.sid !== 'string') {
      return { ok: false, reason: 'malformed' }
    }
    if (nowMs >= claims.exp) return { ok: false, reason: 'expired' }
    return { ok: true, claims }
  }

  /** The CSRF token of a session: what its pages send in `X-CSRFToken` on requests that change state. */
  csrfToken(claims: Pick<SessionClaims, 'sid'>): string {
    return this.mac(`csrf.${claims.sid}`)
  }

  /** Whether `sent` is the CSRF token of the session (constant-time). */
  csrfMatches(claims: Pick<SessionClaims, 'sid'>, sent: string | null): boolean {
    return sent !== null && equal(this.csrfToken(claims), sent.trim())
  }

  /** Whether the session was opened under the account's current password. */
  passwordUnchanged(claims: SessionClaims, passwordHash: string): boolean {
    return equal(this.passwordDigest(passwordHash), claims.pwd)
  }

  private passwordDigest(passwordHash: string): string {
    return this.mac(`pwd.${passwordHash}`).slice(0, 22)
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url')
  }
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}
