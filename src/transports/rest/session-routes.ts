import type { Authenticator } from '../../auth/access.js'
import type { AccountDirectory } from '../../auth/directory.js'
import type { BrowserSessions } from '../../auth/session-auth.js'
import { SESSION_COOKIE, SESSION_CSRF_COOKIE } from '../../auth/sessions.js'
import { credentialsOf } from '../../auth/request-credentials.js'
import { badInput, forbidden, unauthenticated } from '../../errors.js'
import { bodyKind, parseJson, readBody } from './body.js'
import { publicUrl } from '../../pipeline/forwarded-prefix.js'
import { json } from './responses.js'
import type { Route, RouteContext } from './route.js'

export interface SessionRouteOptions {
  /** The whole authenticator (failure limits and counts included): the form's password is checked as basic auth's. */
  readonly auth: Authenticator
  readonly directory: AccountDirectory
  readonly sessions: BrowserSessions
}

/** A sign-in body is a username and a password: a few hundred bytes. */
const MAX_SIGN_IN_BYTES = 16 * 1024

/**
 * The web pages' sign-in and sign-out. `POST /api/session` takes `{"username", "password"}` of an
 * account of the accounts file, checks them exactly as basic auth is checked (the same limits on
 * failures, the same 401 and 429), and opens a session: an HttpOnly, SameSite=Lax cookie signed by
 * the server's key (`aa_session`) and the CSRF token pages send back in `X-CSRFToken`
 * (`aa_csrftoken`, readable by the page; also in the answer). `DELETE /api/session` clears both.
 * CVAT's users sign in to CVAT instead: served next to CVAT, its session cookie works here as it is.
 */
export function sessionRoutes(options: SessionRouteOptions): Route[] {
  const { auth, directory, sessions } = options
  const signIn: Route = {
    method: 'POST',
    path: '/api/session',
    async handle(ctx) {
      bodyKind(ctx.request, ['json'])
      const { username, password } = readSignIn(parseJson(await readBody(ctx.request, MAX_SIGN_IN_BYTES)))
      const presented = credentialsOf(ctx.info)
      const access = await auth
        .access({
          ...presented,
          authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
          // Only the form's credentials count, in the personal workspace: the page picks the organization.
          cookie: null,
          org: { org: null, xOrganization: null, orgId: null },
          grafanaUser: null,
        })
        .catch((error: unknown) => {
          if ((error as { code?: unknown }).code === 'UNAUTHENTICATED') {
            throw unauthenticated('wrong username or password')
          }
          throw error
        })
      const user =
        access.principal.source.kind === 'accounts-file' && directory.userById(access.principal.user.id)
      if (!user) {
        throw forbidden(
          "this account is CVAT's: sign in to CVAT and open these pages at CVAT's address, where CVAT's session works here as it is",
        )
      }
      const now = sessions.now()
      const { token, claims } = sessions.signer.issue(user.id, user.passwordHash, now, sessions.ttlMs)
      const csrfToken = sessions.signer.csrfToken(claims)
      const maxAge = Math.floor(sessions.ttlMs / 1000)
      const response = json(
        200,
        {
          username: user.username,
          role: user.role,
          expiresAt: new Date(claims.exp).toISOString(),
          csrfToken,
        },
        { 'Cache-Control': 'no-store' },
      )
      response.headers.append('Set-Cookie', cookie(ctx, SESSION_COOKIE, token, maxAge, true))
      response.headers.append('Set-Cookie', cookie(ctx, SESSION_CSRF_COOKIE, csrfToken, maxAge, false))
      return response
    },
  }
  const signOut: Route = {
    method: 'DELETE',
    path: '/api/session',
    handle(ctx) {
      const response = new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } })
      response.headers.append('Set-Cookie', cookie(ctx, SESSION_COOKIE, '', 0, true))
      response.headers.append('Set-Cookie', cookie(ctx, SESSION_CSRF_COOKIE, '', 0, false))
      return Promise.resolve(response)
    },
  }
  return [signIn, signOut]
}

function readSignIn(body: unknown): { username: string; password: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badInput('send {"username": …, "password": …}', { field: 'body' })
  }
  const { username, password } = body as Record<string, unknown>
  for (const [field, value] of [
    ['username', username],
    ['password', password],
  ] as const) {
    if (typeof value !== 'string' || value === '') throw badInput(`${field} is required`, { field })
    if (value.length > 1024) throw badInput(`${field} is too long`, { field })
  }
  if ((username as string).includes(':')) throw unauthenticated('wrong username or password')
  return { username: username as string, password: password as string }
}

/**
 * A cookie for the pages of this service: scoped to its path as the browser reaches it (behind a
 * proxy's prefix, CVAT's own pages do not get it), Secure when the browser reached it over HTTPS.
 */
function cookie(ctx: RouteContext, name: string, value: string, maxAgeS: number, httpOnly: boolean): string {
  const base = new URL(publicUrl(ctx.request, '/'))
  return [
    `${name}=${value}`,
    `Path=${base.pathname}`,
    `Max-Age=${maxAgeS}`,
    'SameSite=Lax',
    ...(httpOnly ? ['HttpOnly'] : []),
    ...(base.protocol === 'https:' ? ['Secure'] : []),
  ].join('; ')
}
