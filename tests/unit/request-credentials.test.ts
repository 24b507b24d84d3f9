import { describe, expect, it } from 'vitest'
import { checkCookieCsrf } from '../../src/auth/csrf.js'
import type { CsrfInputs } from '../../src/auth/credentials.js'
import { orgSelectorOf } from '../../src/auth/org-context.js'
import { sameAccess } from '../../src/auth/revalidation.js'
import type { Access } from '../../src/auth/principal.js'
import { credentialsOf } from '../../src/auth/request-credentials.js'
import type { RequestInfo } from '../../src/domain/request-info.js'
import { AppError } from '../../src/errors.js'

function info(url: string, headers: Record<string, string>, method?: string): RequestInfo {
  const all = new Headers(headers)
  return {
    requestId: 'r',
    header: (name) => all.get(name),
    url: new URL(url),
    ...(method === undefined ? {} : { method }),
    remoteAddr: null,
    receivedAtMs: 0,
  }
}

function codeOf(run: () => unknown): string | null {
  try {
    run()
    return null
  } catch (error) {
    return error instanceof AppError ? `${error.code}: ${error.message}` : String(error)
  }
}

describe('credentialsOf', () => {
  it("reads the Authorization header, the cookie, CVAT's three organization inputs and what CSRF needs", () => {
    const read = credentialsOf(
      info(
        'http://api.example/api/events?org=acme&org_id=7',
        {
          authorization: 'Token k',
          cookie: 'sessionid=s; csrftoken=c',
          'x-organization': 'acme',
          'x-csrftoken': 'c',
          origin: 'https://cvat.example',
          host: 'cvat.example',
        },
        'POST',
      ),
    )
    expect(read).toEqual({
      authorization: 'Token k',
      clientAddress: null,
      cookie: 'sessionid=s; csrftoken=c',
      org: { org: 'acme', xOrganization: 'acme', orgId: '7' },
      csrf: { changesState: true, token: 'c', origin: 'https://cvat.example', host: 'cvat.example' },
      grafanaUser: null,
    })
  })

  it('counts GET, HEAD and OPTIONS as changing nothing, and a request without a method (a socket) as changing state', () => {
    const changes = (method?: string) => credentialsOf(info('http://a/graphql', {}, method)).csrf.changesState
    expect([changes('GET'), changes('head'), changes('OPTIONS')]).toEqual([false, false, false])
    expect([changes('POST'), changes('DELETE'), changes(undefined)]).toEqual([true, true, true])
  })
})

describe('orgSelectorOf', () => {
  const selector = (url: string, headers: Record<string, string> = {}) =>
    orgSelectorOf(credentialsOf(info(url, headers)))

  it('answers 400 naming the parameter for inputs in conflict, as CVAT', () => {
    expect(codeOf(() => selector('http://a/?org=a', { 'x-organization': 'b' }))).toMatch(
      /^BAD_USER_INPUT: org: /,
    )
    expect(codeOf(() => selector('http://a/?org_id=7', { 'x-organization': 'b' }))).toMatch(
      /^BAD_USER_INPUT: org_id: /,
    )
    expect(selector('http://a/?org_id=07')).toEqual({ kind: 'id', id: '7' })
    expect(selector('http://a/', { 'x-organization': 'acme' })).toEqual({ kind: 'slug', slug: 'acme' })
  })
})

describe('checkCookieCsrf', () => {
  const secret = 'abcdefghijklmnopqrstuvwxyzABCDEF'
  const cookie = `sessionid=s; csrftoken=${secret}`
  const csrf = (extra: Partial<CsrfInputs> = {}): CsrfInputs => ({
    changesState: true,
    token: secret,
    origin: null,
    host: 'cvat.example',
    ...extra,
  })
  const check = (c: string | null, inputs: CsrfInputs, trusted: string[] = []) =>
    codeOf(() => checkCookieCsrf(c, inputs, trusted))

  it('passes a matching token from this host or a trusted origin, and anything that changes nothing', () => {
    expect(check(cookie, csrf())).toBeNull()
    expect(check(cookie, csrf({ origin: 'https://cvat.example' }))).toBeNull()
    expect(check(cookie, csrf({ origin: 'https://app.example' }), ['https://app.example'])).toBeNull()
    expect(check('sessionid=s', csrf({ changesState: false, token: null }))).toBeNull()
  })

  it("refuses with Django's reasons: no cookie, no token, a wrong token, a foreign origin", () => {
    expect(check('sessionid=s', csrf())).toMatch(/^FORBIDDEN: CSRF Failed: CSRF cookie not set/)
    expect(check(cookie, csrf({ token: null }))).toMatch(/^FORBIDDEN: CSRF Failed: CSRF token missing/)
    expect(check(cookie, csrf({ token: secret.toLowerCase() }))).toBe(
      'FORBIDDEN: CSRF Failed: CSRF token incorrect.',
    )
    expect(check(cookie, csrf({ origin: 'https://evil.example' }))).toMatch(/Origin checking failed/)
    expect(check(cookie, csrf({ origin: 'null' }))).toMatch(/Origin checking failed/)
  })
})

describe('sameAccess', () => {
  const access = (orgRole: Access['orgRole'], role: 'user' | null = 'user'): Access => ({
    principal: {
      user: { id: '7', username: 'ann', email: null, role },
      token: null,
      source: { kind: 'accounts-file' },
    },
    org: { id: '1', slug: 'acme', name: 'Acme' },
    orgRole,
  })

  it('tells a change of organization role or global role from a renewed, identical access', () => {
    expect(sameAccess(access('worker'), access('worker'))).toBe(true)
    expect(sameAccess(access('worker'), access('owner'))).toBe(false)
    expect(sameAccess(access('worker'), access('worker', null))).toBe(false)
  })
})
