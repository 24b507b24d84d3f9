import { setTimeout as sleep } from 'node:timers/promises'
import { HTTP_TRANSPORT_BATCH_SIZE, HTTP_TRANSPORT_HEADERS, httpTransportBody } from './cvat-wire.js'
import {
  backoffMs,
  connectionReason,
  reasonOf,
  RETRY_STATUSES,
  retryAfterMs,
  type SinkWait,
} from './retry.js'
import { clientBatchBody, type DemoSend } from './sends.js'
import type { DemoSink } from './sink.js'
import type { DemoPerson } from './world.js'

export type FetchFunction = (request: Request) => Promise<Response>

export interface HttpSinkOptions {
  /** Base URL of the service, e.g. `http://localhost:8080`. */
  readonly url: string
  /** The demo people's password (basic auth, as CVAT's UI signs in). */
  readonly password: string
  /** An ingest token for `POST /api/events/server`. */
  readonly ingestToken: string
  /**
   * The CVAT-logger listener (`http://127.0.0.1:$CVAT_LOGGER_PORT/`): when set, server events go
   * there as CVAT's server sends them (python-logstash-async's `HttpTransport`), instead of to
   * `POST /api/events/server`.
   */
  readonly loggerUrl?: string
  /**
   * Requests in flight at once. CVAT's batches are small (~15 events per 90 s), so the service's
   * group commit needs many in flight to fill its inserts: 8 gave ~3.7k events/s, 128 ~14–17k on
   * two cores. @default 128
   */
  readonly concurrency?: number
  /** The HTTP client: `fetch` by default; tests pass the app's own fetch to skip the port. */
  readonly fetch?: FetchFunction
  /**
   * Called when the service asks to wait (429, 503 with `Retry-After`) or a request got no answer,
   * once per pause of one kind of request (a person's batches, the server events): for progress.
   */
  readonly onWait?: (wait: SinkWait) => void
  /**
   * Longest a single request may wait in all (its pauses added up) before the demo gives up on
   * it. @default 600000 (10 minutes)
   */
  readonly maxWaitMs?: number
  /** Tries of a request that gets no answer at all (connection refused or reset). @default 6 */
  readonly connectionAttempts?: number
}

/**
 * A request the service did not accept (anything but 201 stored or 202 spooled; 200 from the
 * listener), after waits it asked for; status 0 when no answer came at all.
 */
export class DemoSendError extends Error {
  override name = 'DemoSendError'
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message)
  }
}

/**
 * Sends as CVAT does: each person's batches to `POST /api/events` with their own credentials,
 * organization and browser user agent (`Prefer: return=minimal`: the echo is of no use here);
 * server events to `POST /api/events/server` with the ingest token. The batch's `timestamp` is
 * the real time of sending, so the service's clock-skew correction is ~0 and history stays put.
 * When the service asks to slow down (429) or to come back later (503), the requests of that
 * kind wait as long as its `Retry-After` says, then go again; `onWait` hears of each pause.
 */
export function createHttpSink(options: HttpSinkOptions): DemoSink {
  const fetchFn: FetchFunction = options.fetch ?? ((request) => fetch(request))
  const base = options.url.replace(/\/+$/, '')
  const limit = Math.max(1, options.concurrency ?? 128)
  const inFlight = new Set<Promise<void>>()
  const authorizations = new Map<number, string>()
  // A person's first request goes alone: the service verifies a password once (scrypt, ~50 ms)
  // and then remembers it, but concurrent first requests would each pay for the verification.
  const signedIn = new Map<number, Promise<void>>()
  let failure: Error | null = null

  const basicOf = (person: DemoPerson) => {
    let value = authorizations.get(person.id)
    if (value === undefined) {
      value = `Basic ${Buffer.from(`${person.username}:${options.password}`).toString('base64')}`
      authorizations.set(person.id, value)
    }
    return value
  }

  /**
   * Kinds of request that wait (a person's batches, the server events, the logger), until when:
   * a 429 for one person holds back that person's next requests, not everyone's.
   */
  const pausedUntil = new Map<string, number>()
  const heldMs = (kind: string) => (pausedUntil.get(kind) ?? 0) - Date.now()
  const maxWaitMs = options.maxWaitMs ?? 600_000
  const connectionAttempts = Math.max(1, options.connectionAttempts ?? 6)

  /**
   * Sends one request until the service takes it: honours 429 and 503 (`Retry-After`, or a
   * growing pause without one), and tries a request that got no answer a few times again (as
   * cvat-core keeps its log and saves it again: should the lost answer have been a success, those
   * events are stored twice). `build` makes the request anew for each try (a client batch
   * carries the time it is sent).
   */
  const deliver = async (
    kind: string,
    label: string,
    build: () => Request,
    accepted: (status: number) => boolean,
    hint: (status: number) => string,
  ): Promise<void> => {
    let waitedMs = 0
    let retries = 0
    let unanswered = 0
    for (;;) {
      for (let held = heldMs(kind); held > 0; held = heldMs(kind)) {
        await sleep(held)
        waitedMs += held
      }
      let response: Response
      try {
        response = await fetchFn(build())
      } catch (error) {
        unanswered++
        const reason = connectionReason(error)
        if (unanswered >= connectionAttempts) {
          throw new DemoSendError(
            `${label} got no answer (${unanswered} tries): ${reason}\nIs the service still running at ${base}?`,
            0,
            '',
          )
        }
        pause(kind, 'connection', label, reason, backoffMs(unanswered))
        continue
      }
      if (accepted(response.status)) {
        await response.body?.cancel()
        return
      }
      const body = await response.text()
      if (RETRY_STATUSES.has(response.status) && waitedMs < maxWaitMs) {
        retries++
        const asked = retryAfterMs(response.headers.get('retry-after'), Date.now())
        pause(
          kind,
          response.status as 429 | 503,
          label,
          reasonOf(body),
          Math.min(asked ?? backoffMs(retries), maxWaitMs),
        )
        continue
      }
      const gaveUp = RETRY_STATUSES.has(response.status)
        ? ` (still, after waiting ${Math.round(waitedMs / 1000)} s as asked)`
        : ''
      throw new DemoSendError(
        `${label} answered ${response.status}${gaveUp}: ${body}${hint(response.status)}`,
        response.status,
        body,
      )
    }
  }

  /** Holds back the kind's requests for `ms` (reported when a new pause starts). */
  const pause = (kind: string, cause: SinkWait['cause'], request: string, reason: string, ms: number) => {
    const now = Date.now()
    const until = now + ms
    const current = pausedUntil.get(kind) ?? 0
    if (until > current) pausedUntil.set(kind, until)
    if (current <= now) options.onWait?.({ cause, request, reason, untilMs: until })
  }

  const post = async (send: DemoSend): Promise<void> => {
    if (send.kind === 'server' && options.loggerUrl !== undefined) {
      for (let i = 0; i < send.rows.length; i += HTTP_TRANSPORT_BATCH_SIZE) {
        await postToLogger(options.loggerUrl, send.rows.slice(i, i + HTTP_TRANSPORT_BATCH_SIZE))
      }
      return
    }
    if (send.kind === 'client') {
      await deliver(
        `client:${send.person.id}`,
        `POST /api/events as ${send.person.username} in '${send.person.orgSlug}'`,
        () =>
          new Request(`${base}/api/events`, {
            method: 'POST',
            headers: {
              authorization: basicOf(send.person),
              'x-organization': send.person.orgSlug,
              'user-agent': send.person.platform.userAgent,
              'content-type': 'application/json',
              prefer: 'return=minimal',
            },
            body: JSON.stringify(clientBatchBody(send, Date.now())),
          }),
        (status) => status === 201 || status === 202,
        hintFor,
      )
      return
    }
    const body = JSON.stringify(send.rows)
    await deliver(
      'server',
      'POST /api/events/server',
      () =>
        new Request(`${base}/api/events/server`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.ingestToken}`, 'content-type': 'application/json' },
          body,
        }),
      (status) => status === 201 || status === 202,
      hintFor,
    )
  }

  /** As `HttpTransport` posts: only 200 is success (anything else, CVAT would send again). */
  const postToLogger = (url: string, rows: readonly Record<string, unknown>[]): Promise<void> => {
    const body = httpTransportBody(rows)
    return deliver(
      'logger',
      `POST ${url} (CVAT logger)`,
      () => new Request(url, { method: 'POST', headers: HTTP_TRANSPORT_HEADERS, body }),
      (status) => status === 200,
      () => '',
    )
  }

  const start = (send: DemoSend) => {
    let work: Promise<void>
    const first = send.kind === 'client' ? signedIn.get(send.person.id) : undefined
    if (send.kind === 'client' && first === undefined) {
      work = post(send)
      signedIn.set(
        send.person.id,
        work.catch(() => undefined),
      )
    } else work = first ? first.then(() => post(send)) : post(send)
    const task: Promise<void> = work
      .catch((error: unknown) => {
        failure ??= asError(error)
      })
      .finally(() => inFlight.delete(task))
    inFlight.add(task)
  }

  return {
    async send(send) {
      while (inFlight.size >= limit) await Promise.race(inFlight)
      if (failure !== null) throw failure
      start(send)
    },
    async drain() {
      await Promise.all(inFlight)
      if (failure !== null) throw failure
    },
  }
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) {
    return (
      '\nThe service does not know the demo accounts: run the demo with the same DATA_DIR (or ACCOUNTS_FILE) ' +
      'as the service, on the same machine, so that it picks the accounts up.'
    )
  }
  return ''
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}
