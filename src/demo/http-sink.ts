import { HTTP_TRANSPORT_BATCH_SIZE, HTTP_TRANSPORT_HEADERS, httpTransportBody } from './cvat-wire.js'
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
}

/** A request the service did not accept (anything but 201 stored or 202 spooled; 200 from the listener). */
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

  const post = async (send: DemoSend): Promise<void> => {
    if (send.kind === 'server' && options.loggerUrl !== undefined) {
      for (let i = 0; i < send.rows.length; i += HTTP_TRANSPORT_BATCH_SIZE) {
        await postToLogger(options.loggerUrl, send.rows.slice(i, i + HTTP_TRANSPORT_BATCH_SIZE))
      }
      return
    }
    const request =
      send.kind === 'client'
        ? new Request(`${base}/api/events`, {
            method: 'POST',
            headers: {
              authorization: basicOf(send.person),
              'x-organization': send.person.orgSlug,
              'user-agent': send.person.platform.userAgent,
              'content-type': 'application/json',
              prefer: 'return=minimal',
            },
            body: JSON.stringify(clientBatchBody(send, Date.now())),
          })
        : new Request(`${base}/api/events/server`, {
            method: 'POST',
            headers: { authorization: `Bearer ${options.ingestToken}`, 'content-type': 'application/json' },
            body: JSON.stringify(send.rows),
          })
    const response = await fetchFn(request)
    if (response.status === 201 || response.status === 202) {
      await response.body?.cancel()
      return
    }
    const body = await response.text()
    const who = send.kind === 'client' ? ` as ${send.person.username} in '${send.person.orgSlug}'` : ''
    throw new DemoSendError(
      `${request.method} ${new URL(request.url).pathname}${who} answered ${response.status}: ${body}${hintFor(response.status)}`,
      response.status,
      body,
    )
  }

  /** As `HttpTransport` posts: only 200 is success (anything else, CVAT would send again). */
  const postToLogger = async (url: string, rows: readonly Record<string, unknown>[]): Promise<void> => {
    const response = await fetchFn(
      new Request(url, { method: 'POST', headers: HTTP_TRANSPORT_HEADERS, body: httpTransportBody(rows) }),
    )
    const body = await response.text()
    if (response.status === 200) return
    throw new DemoSendError(
      `POST ${url} (CVAT logger) answered ${response.status}: ${body}`,
      response.status,
      body,
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
