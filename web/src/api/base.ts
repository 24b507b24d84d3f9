/**
 * Where the service is, as the browser reaches it: `/`, or a proxy's prefix (`/analytics/`) that
 * the service writes into the page's `<base href>`. Every URL the pages build starts here.
 */
export const BASE_PATH = new URL(document.baseURI).pathname.replace(/\/+$/, '')

/** A path of this service (`/graphql`, `/api/session`) as the browser must ask for it. */
export function servicePath(path: string): string {
  return `${BASE_PATH}${path}`
}

/** The WebSocket URL of a path of this service (ws: or wss: as the page was loaded). */
export function socketUrl(path: string): string {
  const url = new URL(servicePath(path), location.href)
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return url.href
}

/** A cookie's value, or null. */
export function cookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name)
      return decodeURIComponent(part.slice(eq + 1).trim()) || null
  }
  return null
}

/**
 * The CSRF token requests that change state carry (`X-CSRFToken`): this service's session's, or,
 * signed in by CVAT's session next to CVAT, CVAT's `csrftoken`.
 */
export function csrfToken(): string | null {
  return cookie('aa_csrftoken') ?? cookie('csrftoken')
}
