/**
 * Child process of bench/viewers.ts: Grafana viewers refreshing dashboards, as Grafana's server
 * and Infinity ask the service for them. Each viewer has each dashboard open and auto-refreshing
 * every `intervalMs`; the (viewer, dashboard) pairs start staggered over one interval. A refresh
 * takes Grafana's moving "now": the dashboard's default range ending at the moment it fires. It
 * updates the Organization variable, then the variables that depend on it, then runs every panel
 * at once (Grafana waits for the variables that refresh on a time-range change before the
 * panels). A refresh that fires while the previous one of the same dashboard is still under way
 * cancels what is left of it, as Grafana does (the request is aborted: counted as superseded,
 * not answered). Each request waits at most the datasource's timeout (60 s), and whatever still
 * runs one timeout after the last refresh fired is cut.
 */
import http from 'node:http'
import { loadDashboard, type LoadedDashboard } from '../scripts/dashboards/dashboards.js'
import { refreshRequests, relativeRangeMs, type SiteRequest } from '../scripts/dashboards/refresh.js'

export interface ViewersJob {
  /** The service's base URL (the datasource's ANALYTICS_URL). */
  readonly url: string
  /** The datasource's grafana token. */
  readonly token: string
  /** Grafana logins, each with the organization its dashboards select. */
  readonly viewers: readonly { readonly login: string; readonly org: string }[]
  /** Where this client's pairs sit among all clients' (`index` of `of`), for the stagger. */
  readonly slot: { readonly index: number; readonly of: number }
  readonly dashboards: readonly string[]
  readonly intervalMs: number
  readonly seconds: number
  /** Epoch ms at which the first refresh may fire (all clients start together). */
  readonly startAt: number
  readonly timeoutMs: number
}

/** What became of the requests of one panel or variable. */
export interface SiteOutcome {
  /** Milliseconds from sending to the last byte, of the requests answered (2xx, no GraphQL errors). */
  readonly latencies: number[]
  /**
   * Every query due, by what became of it: its HTTP status (`200`…), GraphQL errors in a 2xx
   * (`2xx with errors`), how it failed (`timeout`, `superseded`, `cut at the end`, `network`), or
   * why it was never sent (`not sent (superseded)`, `not sent (cut at the end)`: its refresh was
   * cancelled before its stage).
   */
  readonly outcomes: Record<string, number>
}

export interface ViewersResult {
  readonly sites: Record<string, SiteOutcome>
  readonly refreshes: number
  /** Refreshes that fired while the previous one of the same dashboard was still under way. */
  readonly overlapping: number
  readonly requests: number
  /** The most requests one viewer sent in the run, and the run's length (for the rate limit). */
  readonly maxPerViewer: number
  readonly seconds: number
  /** This process's CPU time, ms. */
  readonly cpuMs: number
}

// Sockets to the service, at most (Grafana's Go client has no limit; this bounds open files when
// the service falls behind). Requests past it wait here, and the wait counts in their latency.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 })

/**
 * One POST; resolves with the status and the body's text; rejects when `signal` aborts, after
 * `timeoutMs` (an error named TimeoutError), or on a network error.
 */
function post(
  request: SiteRequest['request'],
  signal: AbortSignal,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(request.body)
    const req = http.request(
      request.url,
      {
        method: request.method,
        agent,
        headers: { ...request.headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }))
        res.on('error', reject)
      },
    )
    // The whole exchange, the wait for a socket included (a timer of our own: AbortSignal.timeout
    // combined by AbortSignal.any was seen never to fire here, on Node 20).
    // Settled here too, whatever the request does once destroyed (queued for a socket or not).
    const fail = (error: Error) => {
      reject(error)
      req.destroy(error)
    }
    const timer = setTimeout(() => {
      const error = new Error(`no answer within ${timeoutMs} ms`)
      error.name = 'TimeoutError'
      fail(error)
    }, timeoutMs)
    const onAbort = () => fail(new Error(String(signal.reason)))
    signal.addEventListener('abort', onAbort, { once: true })
    req.on('close', () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
    })
    req.on('error', reject)
    req.end(body)
  })
}

process.once('message', (job: ViewersJob) => {
  void run(job).then((result) => process.send?.(result))
})
process.send?.({ ready: true })

/** Why a request was not answered when its refresh was cancelled. */
const SUPERSEDED = 'superseded'
const CUT = 'cut at the end'

async function run(job: ViewersJob): Promise<ViewersResult> {
  const dashboards = job.dashboards.map(loadDashboard)
  const sites: Record<string, SiteOutcome> = {}
  const outcomeOf = (title: string) => (sites[title] ??= { latencies: [], outcomes: {} })
  const count = (title: string, outcome: string) => {
    const o = outcomeOf(title).outcomes
    o[outcome] = (o[outcome] ?? 0) + 1
  }
  let refreshes = 0
  let overlapping = 0
  let requests = 0
  const perViewer = new Map<string, number>()
  const cpu = process.cpuUsage()
  const endAt = job.startAt + job.seconds * 1000

  async function ask(viewer: string, site: SiteRequest, signal: AbortSignal): Promise<void> {
    requests += 1
    perViewer.set(viewer, (perViewer.get(viewer) ?? 0) + 1)
    const started = performance.now()
    try {
      const { status, text } = await post(site.request, signal, job.timeoutMs)
      const ok = status >= 200 && status < 300
      // A key "errors" outside a string: JSON escapes every quote inside one.
      const errors = ok && text.includes('"errors":[')
      if (ok && !errors) outcomeOf(site.title).latencies.push(performance.now() - started)
      count(site.title, errors ? '2xx with errors' : String(status))
    } catch (error) {
      const name = (error as Error).name
      count(
        site.title,
        signal.aborted ? String(signal.reason) : name === 'TimeoutError' ? 'timeout' : 'network',
      )
    }
  }

  async function refresh(
    viewer: { login: string; org: string },
    dashboard: LoadedDashboard,
    signal: AbortSignal,
  ) {
    const toMs = Date.now()
    const all = refreshRequests(dashboard, {
      fromMs: toMs - relativeRangeMs(dashboard),
      toMs,
      login: viewer.login,
      org: viewer.org,
      env: { ANALYTICS_URL: job.url, ANALYTICS_GRAFANA_TOKEN: job.token },
    })
    const variables = all.filter((s) => s.site.kind === 'variable')
    const org = variables.filter((s) => s.site.variable?.name === 'org')
    const dependent = variables.filter((s) => s.site.variable?.name !== 'org')
    const panels = all.filter((s) => s.site.kind === 'panel')
    for (const stage of [org, dependent, panels]) {
      if (signal.aborted) {
        for (const site of stage) count(site.title, `not sent (${String(signal.reason)})`)
        continue
      }
      await Promise.all(stage.map((site) => ask(viewer.login, site, signal)))
    }
  }

  const pairs = job.viewers.flatMap((viewer) => dashboards.map((dashboard) => ({ viewer, dashboard })))
  const total = pairs.length * job.slot.of
  const running = new Set<AbortController>()
  // What is still running one timeout after the last refresh fired is cut.
  const cut = setTimeout(
    () => {
      for (const controller of running) controller.abort(CUT)
    },
    endAt + job.timeoutMs - Date.now(),
  )
  await Promise.all(
    pairs.map(async ({ viewer, dashboard }, i) => {
      // Spread over one interval across every client's pairs.
      const offset = ((i * job.slot.of + job.slot.index) / total) * job.intervalMs
      let previous: { controller: AbortController; done: Promise<void> } | null = null
      for (let at = job.startAt + offset; at < endAt; at += job.intervalMs) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())))
        if (previous && running.has(previous.controller)) {
          overlapping += 1
          previous.controller.abort(SUPERSEDED)
        }
        const controller = new AbortController()
        running.add(controller)
        refreshes += 1
        const done = refresh(viewer, dashboard, controller.signal).finally(() => running.delete(controller))
        previous = { controller, done }
      }
      await previous?.done
    }),
  )
  clearTimeout(cut)
  const used = process.cpuUsage(cpu)
  return {
    sites,
    refreshes,
    overlapping,
    requests,
    maxPerViewer: Math.max(0, ...perViewer.values()),
    seconds: (Date.now() - job.startAt) / 1000,
    cpuMs: (used.user + used.system) / 1000,
  }
}
