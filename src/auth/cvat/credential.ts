import { createHmac } from 'node:crypto'
import { inspect } from 'node:util'
import { looksLikeToken } from '../tokens.js'

/** How the caller proved who it is to CVAT; `bearer` is a personal access token (PAT). */
export type CvatCredentialKind = 'basic' | 'token' | 'bearer' | 'session'

/** CVAT's session cookie (Django's default name, not overridden by CVAT). */
export const SESSION_COOKIE = 'sessionid'

/** Longer credentials are not CVAT's (keys are 40 characters, PATs 41, session ids 32). */
const MAX_CREDENTIAL_LENGTH = 4096
/** Visible ASCII without spaces: anything else CVAT rejects, and fetch refuses in a header. */
const PLAIN = /^[\x21-\x7e]+$/

/**
 * The one credential of a request that may be forwarded to CVAT. Its secret is held privately:
 * JSON.stringify and util.inspect show only the kind, so a stray log line cannot leak it.
 */
export class CvatCredential {
  readonly #header: { readonly name: 'authorization' | 'cookie'; readonly value: string }

  private constructor(
    readonly kind: CvatCredentialKind,
    header: { name: 'authorization' | 'cookie'; value: string },
    /** For `basic` only: the username, so the accounts file can claim names it knows first. */
    readonly username: string | null,
  ) {
    this.#header = header
  }

  /**
   * Reads the credential CVAT would accept from a request's `Authorization` and `Cookie` headers:
   * `Basic`, `Token <key>`, `Bearer <PAT>`, or the `sessionid` cookie. An Authorization header
   * wins over the cookie: it is what the client chose to send, where the cookie is ambient. Our
   * own API tokens (`aat_…`) are never forwarded, under either keyword. Null when there is nothing for CVAT.
   */
  static fromHeaders(authorization: string | null | undefined, cookie: string | null | undefined) {
    if (authorization) return CvatCredential.fromAuthorization(authorization.trim())
    const session = cookieValue(cookie, SESSION_COOKIE)
    if (session === null || !isPlain(session)) return null
    return new CvatCredential('session', { name: 'cookie', value: `${SESSION_COOKIE}=${session}` }, null)
  }

  private static fromAuthorization(authorization: string): CvatCredential | null {
    const [scheme = '', value = '', ...rest] = authorization.split(/\s+/)
    if (rest.length > 0 || !isPlain(value)) return null
    switch (scheme.toLowerCase()) {
      case 'basic': {
        const decoded = Buffer.from(value, 'base64').toString('utf8')
        const colon = decoded.indexOf(':')
        if (colon <= 0) return null
        return new CvatCredential(
          'basic',
          { name: 'authorization', value: `Basic ${value}` },
          decoded.slice(0, colon),
        )
      }
      // Our own tokens are accepted under both keywords (directory.ts), so neither forwards them.
      case 'token':
        if (looksLikeToken(value)) return null
        return new CvatCredential('token', { name: 'authorization', value: `Token ${value}` }, null)
      case 'bearer':
        if (looksLikeToken(value)) return null
        return new CvatCredential('bearer', { name: 'authorization', value: `Bearer ${value}` }, null)
      default:
        return null
    }
  }

  /** The headers to send CVAT: this credential and nothing else of the caller's request. */
  headers(): Record<string, string> {
    return { [this.#header.name]: this.#header.value }
  }

  /**
   * A keyed digest (HMAC-SHA-256) of the kind and the secret: a cache key that identifies the
   * credential without holding it. The key is random per process, so a digest seen in memory
   * cannot be tested against guessed passwords elsewhere.
   */
  digest(key: Buffer): string {
    return createHmac('sha256', key).update(`${this.kind}\0${this.#header.value}`).digest('base64url')
  }

  toJSON(): { kind: CvatCredentialKind } {
    return { kind: this.kind }
  }

  [inspect.custom](): string {
    return `CvatCredential(${this.kind})`
  }
}

function isPlain(value: string): boolean {
  return value.length <= MAX_CREDENTIAL_LENGTH && PLAIN.test(value)
}

/**
 * The value of one cookie in a `Cookie` request header, or null. Names match exactly; values are
 * taken as sent (Django's session and CSRF cookies are plain alphanumerics, never quoted).
 */
export function cookieValue(header: string | null | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim()
      return value === '' ? null : value
    }
  }
  return null
}
