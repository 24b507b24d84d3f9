/**
 * When and how long the demo waits before sending a request again, as a good HTTP client does:
 * 429 (a rate limit) and 503 (the store away, the spool full, an identity provider down) are
 * answered with `Retry-After`, which it honours; a request that got no answer at all (a
 * connection reset, the service restarting) is sent again after a growing pause.
 */

/** Why a request waits before it is sent again. */
export interface SinkWait {
  /** What answered: 429 or 503, or `connection` for a request that got no answer. */
  readonly cause: 429 | 503 | 'connection'
  /** The request, e.g. `POST /api/events/server` or `POST /api/events as amara.k`. */
  readonly request: string
  /** The service's reason (its answer's `message`), or the connection error. */
  readonly reason: string
  /** Until when (epoch ms) requests of this kind wait. */
  readonly untilMs: number
}

/** Statuses that ask the client to come back later rather than refuse the request. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 503])

/** Pause before the n-th new try (1-based) when the answer said nothing of when: 1 s, 2 s, 4 s, … 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt - 1))
}

/**
 * `Retry-After` (RFC 9110 §10.2.3) in milliseconds from now: delay-seconds or an HTTP-date;
 * undefined when absent or not understood (the caller then backs off on its own).
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs)
}

/** The `message` of a JSON error answer, else the text itself (shortened). */
export function reasonOf(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message
    if (typeof message === 'string') return message
  } catch {
    // not JSON
  }
  const text = body.trim()
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/** What a failed fetch says, with its cause (`fetch failed` alone names nothing). */
export function connectionReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = (error as { cause?: unknown }).cause
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    return `${error.message} (${typeof code === 'string' && !cause.message.includes(code) ? `${code}: ` : ''}${cause.message})`
  }
  return error.message
}
