import { createHmac } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import { isIP } from 'node:net'
import { guardedLookup, hostOf, refusedHost, type HostResolver } from './webhook-url.js'

/** One POST of a notification to its rule's webhook. */
export interface WebhookPost {
  readonly url: string
  /** The JSON, byte for byte as signed. */
  readonly body: string
  readonly secret: string
  readonly idempotencyKey: string
  /** The whole exchange (connection, request, response headers) is abandoned after this long. */
  readonly timeoutMs: number
  readonly allowPrivate: boolean
  readonly resolve?: HostResolver
}

/** How an attempt went: a 2xx is delivered; anything else (or no answer) is retried later. */
export interface WebhookResult {
  readonly ok: boolean
  readonly statusCode: number | null
  readonly error: string | null
  readonly durationMs: number
}

/** Headers every delivery carries (besides the signature). */
export const USER_AGENT = 'annotation-analytics-alerts'

/**
 * `sha256=<hex HMAC-SHA256 of the body with the secret>`: what CVAT sends in `X-Signature-256` for its
 * own webhooks, so a receiver written for CVAT's webhooks checks ours the same way.
 */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`
}

/**
 * POSTs a notification: JSON, signed, with its idempotency key. Redirects are not followed (a 3xx
 * is a failed attempt: the target is the URL the rule names, nowhere else); addresses are checked
 * as the connection is made (guardedLookup); nothing waits longer than `timeoutMs`, so one slow
 * receiver holds up no other delivery. Never throws.
 */
export function postWebhook(post: WebhookPost): Promise<WebhookResult> {
  const started = performance.now()
  const took = () => Math.round(performance.now() - started)
  return new Promise((resolve) => {
    let settled = false
    const settle = (statusCode: number | null, error: string | null) => {
      if (settled) return
      settled = true
      const ok = statusCode !== null && statusCode >= 200 && statusCode < 300
      resolve({ ok, statusCode, error, durationMs: took() })
    }
    let url: URL
    try {
      url = new URL(post.url)
    } catch {
      settle(null, 'the webhook URL is not a URL')
      return
    }
    void (async () => {
      // A literal address never goes through the lookup: checked here.
      if (!post.allowPrivate && isIP(hostOf(url))) {
        const why = await refusedHost(hostOf(url))
        if (why) return settle(null, `${why}; not connected (ALERT_WEBHOOK_ALLOW_PRIVATE allows it)`)
      }
      const client = url.protocol === 'https:' ? https : http
      const request = client.request(url, {
        method: 'POST',
        agent: false,
        lookup: guardedLookup(post.allowPrivate, post.resolve),
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(post.body),
          'User-Agent': USER_AGENT,
          'Idempotency-Key': post.idempotencyKey,
          'X-Signature-256': signature(post.body, post.secret),
        },
      })
      const timer = setTimeout(() => {
        settle(null, `no answer within ${post.timeoutMs} ms`)
        request.destroy()
      }, post.timeoutMs)
      request.on('response', (response) => {
        const code = response.statusCode ?? null
        const location = response.headers.location
        const redirect =
          code !== null && code >= 300 && code < 400
            ? `redirect${location ? ` to ${location.slice(0, 200)}` : ''} not followed`
            : null
        settle(code, redirect ?? (code !== null && (code < 200 || code >= 300) ? `HTTP ${code}` : null))
        // Nothing of the answer is kept: it is read and dropped, within the same time limit.
        response.resume()
        response.once('end', () => clearTimeout(timer))
        response.once('error', () => clearTimeout(timer))
      })
      request.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer)
        settle(
          null,
          error.code && !error.message.includes(error.code)
            ? `${error.code}: ${error.message}`
            : error.message,
        )
      })
      request.end(post.body)
    })()
  })
}
