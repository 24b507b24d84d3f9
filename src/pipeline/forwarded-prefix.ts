import type { Plugin } from 'graphql-yoga'

interface Forwarded {
  readonly prefix: string
  readonly proto: 'http:' | 'https:' | null
}

const forwarded = new WeakMap<Request, Forwarded>()

/** A path prefix as proxies send it: segments of URL-safe characters, no trailing slash. */
const PREFIX = /^(\/[A-Za-z0-9._~-]+)+$/

/**
 * With TRUST_PROXY, notes what a reverse proxy changed on the way in: the path prefix it removed
 * (`X-Forwarded-Prefix`, which Traefik's stripPrefix sets) and the scheme the client used
 * (`X-Forwarded-Proto`), so URLs the API hands out (an export's `result_url`) lead back through the
 * proxy: `https://cvat.example/analytics-api/api/events/download?…` rather than CVAT's own `/api/…`.
 * Without TRUST_PROXY both headers are ignored.
 */
export function useForwardedPrefix(trustProxy: boolean): Plugin {
  return {
    onRequest({ request }) {
      if (!trustProxy) return
      const prefix = request.headers.get('x-forwarded-prefix')?.trim().replace(/\/+$/, '') ?? ''
      const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase()
      forwarded.set(request, {
        prefix: PREFIX.test(prefix) ? prefix : '',
        proto: proto === 'http' || proto === 'https' ? `${proto}:` : null,
      })
    },
  }
}

/** The absolute URL of a path of this API, as the client reached the API (through its proxy). */
export function publicUrl(request: Request, path: string): string {
  const seen = forwarded.get(request)
  const url = new URL(`${seen?.prefix ?? ''}${path}`, request.url)
  if (seen?.proto) url.protocol = seen.proto
  return url.href
}
