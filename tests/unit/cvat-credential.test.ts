import { randomBytes } from 'node:crypto'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { CvatCredential } from '../../src/auth/cvat/credential.js'
import { csrfTokenMatches } from '../../src/auth/cvat/csrf.js'
import { newToken } from '../../src/auth/tokens.js'

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

describe('CvatCredential.fromHeaders', () => {
  it('reads each of CVAT schemes and forwards only that header', () => {
    expect(CvatCredential.fromHeaders(basic('ann', 'pw'), null)?.headers()).toEqual({
      authorization: basic('ann', 'pw'),
    })
    expect(CvatCredential.fromHeaders('Token abc123', null)?.headers()).toEqual({
      authorization: 'Token abc123',
    })
    expect(CvatCredential.fromHeaders('bearer AbCd1234.x', null)?.headers()).toEqual({
      authorization: 'Bearer AbCd1234.x',
    })
    const session = CvatCredential.fromHeaders(null, 'theme=dark; sessionid=s3ss10n; csrftoken=t0k3n')
    expect(session?.kind).toBe('session')
    expect(session?.headers()).toEqual({ cookie: 'sessionid=s3ss10n' })
  })

  it('keeps the username of basic credentials, so the accounts file can claim it first', () => {
    expect(CvatCredential.fromHeaders(basic('ann', 'p:w'), null)?.username).toBe('ann')
    expect(CvatCredential.fromHeaders('Token abc', null)?.username).toBeNull()
  })

  it('prefers the Authorization header over the session cookie', () => {
    expect(CvatCredential.fromHeaders('Token abc', 'sessionid=s')?.kind).toBe('token')
  })

  it('never forwards our own API tokens', () => {
    expect(CvatCredential.fromHeaders(`Bearer ${newToken()}`, 'sessionid=s')).toBeNull()
  })

  it('finds nothing for other schemes, malformed values or an empty cookie', () => {
    for (const authorization of ['Digest x', 'Token', 'Token a b', 'Basic bm9jb2xvbg==', 'Bearer a\u00e9']) {
      expect(CvatCredential.fromHeaders(authorization, null), authorization).toBeNull()
    }
    expect(CvatCredential.fromHeaders(null, 'sessionid=')).toBeNull()
    expect(CvatCredential.fromHeaders(null, 'mysessionid=abc')).toBeNull()
    expect(CvatCredential.fromHeaders(null, null)).toBeNull()
  })

  it('digests the same credential alike and different ones apart, under a key', () => {
    const key = randomBytes(32)
    const a = CvatCredential.fromHeaders(basic('ann', 'pw'), null)
    const again = CvatCredential.fromHeaders(basic('ann', 'pw'), 'sessionid=x')
    const other = CvatCredential.fromHeaders(basic('ann', 'pw2'), null)
    expect(a?.digest(key)).toBe(again?.digest(key))
    expect(a?.digest(key)).not.toBe(other?.digest(key))
    expect(a?.digest(key)).not.toBe(a?.digest(randomBytes(32)))
    expect(a?.digest(key)).not.toContain(basic('ann', 'pw').slice(6))
  })

  it('shows only its kind when logged or inspected', () => {
    const credential = CvatCredential.fromHeaders('Token s3cr3t', null)
    expect(JSON.stringify({ credential })).toBe('{"credential":{"kind":"token"}}')
    expect(inspect(credential)).not.toContain('s3cr3t')
  })
})

// Django's masking: each secret character shifted by the mask's, in Django's alphabet.
const CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
function mask(secret: string, maskText: string): string {
  const cipher = [...secret]
    .map((c, i) => CHARS[(CHARS.indexOf(c) + CHARS.indexOf(maskText.charAt(i))) % CHARS.length])
    .join('')
  return maskText + cipher
}

describe('csrfTokenMatches', () => {
  const secret = 'Q8pzK2v9Xr4mT1bN7cWd0yLs5gHe3jAa'
  it('accepts the cookie secret as is and masked, as Django does', () => {
    expect(csrfTokenMatches(`csrftoken=${secret}`, secret)).toBe(true)
    expect(csrfTokenMatches(`a=b; csrftoken=${secret}`, mask(secret, '9'.repeat(16) + 'zA'.repeat(8)))).toBe(
      true,
    )
  })

  it('refuses a missing, different or malformed token', () => {
    expect(csrfTokenMatches(`csrftoken=${secret}`, null)).toBe(false)
    expect(csrfTokenMatches(null, secret)).toBe(false)
    expect(csrfTokenMatches(`csrftoken=${secret}`, secret.replace('Q', 'R'))).toBe(false)
    expect(csrfTokenMatches(`csrftoken=${secret}`, `${secret}!`)).toBe(false)
    expect(csrfTokenMatches(`csrftoken=${secret}`, secret.slice(1))).toBe(false)
  })
})
