import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { answer, type Answer } from './cvat-emulator-api.js'
import { EmulatorState, type EmulatedOrgRole, type Scheme } from './cvat-emulator-state.js'

/** One request the emulation received, for tests that count or inspect CVAT's traffic. */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  /** Which of CVAT's authentication classes accepted the request, or why none did. */
  readonly auth: Scheme | 'anonymous' | 'failed'
  readonly authorization: string | undefined
  readonly cookie: string | undefined
}

/** `up`: answers. `hang`: reads requests and never answers. `fail`: answers every request with `status`. */
type Mode = { kind: 'up' } | { kind: 'hang' } | { kind: 'fail'; status: number }

/**
 * CVAT's identity API (v2.73) on a port-0 `node:http` server, written from
 * docs/identity.md#what-the-service-relies-on-about-cvats-identity: the four credential schemes,
 * `/api/users/self`, memberships and organizations with CVAT's visibility rules and pagination,
 * `{"detail": …}` bodies in `application/vnd.cvat+json`. Switches make it refuse connections,
 * hang, or fail with 5xx.
 */
export class CvatEmulator {
  readonly state = new EmulatorState()
  readonly requests: RecordedRequest[] = []
  private mode: Mode = { kind: 'up' }
  private readonly hanging = new Set<ServerResponse>()
  private listening = true

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<CvatEmulator> {
    const server = createServer()
    await listen(server, 0)
    const emulator = new CvatEmulator(server, (server.address() as AddressInfo).port)
    server.on('request', (req: IncomingMessage, res: ServerResponse) => emulator.handle(req, res))
    return emulator
  }

  /** What `CVAT_URL` would be set to. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  // Data, delegated to the state so tests read as CVAT's own admin actions.
  addUser(input: Parameters<EmulatorState['addUser']>[0]) {
    return this.state.addUser(input)
  }
  addOrganization(input: Parameters<EmulatorState['addOrganization']>[0]) {
    return this.state.addOrganization(input)
  }
  addMembership(orgSlug: string, username: string, role: EmulatedOrgRole, options?: { active?: boolean }) {
    return this.state.addMembership(orgSlug, username, role, options)
  }
  issueLegacyKey(username: string): string {
    return this.state.issueLegacyKey(username)
  }
  issueAccessToken(username: string): string {
    return this.state.issueAccessToken(username)
  }
  openSession(username: string) {
    return this.state.openSession(username)
  }

  /** Revokes a personal access token (CVAT's `POST /api/auth/access_tokens/{id}/revoke`). */
  revokeAccessToken(token: string): void {
    const record = this.state.accessTokens.get(token)
    if (!record) throw new Error('emulator: unknown access token')
    record.revoked = true
  }

  /** Logs a legacy key out (CVAT's `POST /api/auth/logout` deletes the key). */
  revokeLegacyKey(key: string): void {
    this.state.legacyKeys.delete(key)
  }

  closeSession(sessionid: string): void {
    this.state.sessions.delete(sessionid)
  }

  setMembershipActive(orgSlug: string, username: string, active: boolean): void {
    this.state.membership(orgSlug, username).isActive = active
  }

  /** Requests received so far, optionally only those to one path. */
  count(path?: string): number {
    return path === undefined ? this.requests.length : this.requests.filter((r) => r.path === path).length
  }

  resetCounts(): void {
    this.requests.length = 0
  }

  /** Stops listening and drops open connections, so new ones are refused (ECONNREFUSED). */
  async goDown(): Promise<void> {
    if (!this.listening) return
    this.listening = false
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.releaseHanging()
    this.server.closeAllConnections()
    await closed
  }

  /** Back to answering, on the same port. */
  async goUp(): Promise<void> {
    this.mode = { kind: 'up' }
    this.releaseHanging()
    if (this.listening) return
    await listen(this.server, this.port)
    this.listening = true
  }

  /** Requests are read and never answered, until goUp, goDown or stop. */
  hang(): void {
    this.mode = { kind: 'hang' }
  }

  /** Every request is answered with this status and an HTML body, as a failing proxy or Django does. */
  fail(status = 500): void {
    this.mode = { kind: 'fail', status }
  }

  async stop(): Promise<void> {
    await this.goDown()
  }

  private releaseHanging(): void {
    for (const res of this.hanging) res.destroy()
    this.hanging.clear()
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    // No keep-alive: a client never holds a pooled socket that goDown closed under it, so after
    // goDown every request is refused, as with a CVAT that is not running.
    res.setHeader('connection', 'close')
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`)
    const cookies = parseCookies(req.headers.cookie)
    const auth = this.state.authenticate(req.headers.authorization, cookies)
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      auth: auth.kind === 'user' ? auth.scheme : auth.kind,
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
    })
    if (this.mode.kind === 'hang') {
      this.hanging.add(res)
      res.on('close', () => this.hanging.delete(res))
      return
    }
    if (this.mode.kind === 'fail') {
      res.writeHead(this.mode.status, { 'content-type': 'text/html' })
      res.end(`<h1>Server Error (${this.mode.status})</h1>`)
      return
    }
    // DRF's order: content negotiation, then authentication, then the view.
    if (!acceptsCvatJson(req.headers.accept)) {
      return send(res, { status: 406, body: { detail: 'Could not satisfy the request Accept header.' } })
    }
    if (auth.kind !== 'user') {
      const text = auth.kind === 'failed' ? auth.detail : 'Authentication credentials were not provided.'
      return send(res, { status: 401, body: { detail: text } }, { 'www-authenticate': 'Token' })
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, { status: 405, body: { detail: `Method "${req.method}" not allowed.` } })
    }
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value)
    }
    const routed = answer(this.state, auth.user, url, headers)
    if (!routed) {
      res.writeHead(404, { 'content-type': 'text/html' })
      res.end('<h1>Not Found</h1>')
      return
    }
    send(res, routed)
  }
}

function send(res: ServerResponse, answer: Answer, headers: Record<string, string> = {}): void {
  res.writeHead(answer.status, { 'content-type': 'application/vnd.cvat+json', ...headers })
  res.end(JSON.stringify(answer.body))
}

/** CVAT renders only `application/vnd.cvat+json` (and browsable HTML), so a bare JSON Accept is refused. */
function acceptsCvatJson(accept: string | undefined): boolean {
  if (!accept) return true
  return accept
    .split(',')
    .map((part) => part.split(';')[0]?.trim().toLowerCase())
    .some((type) => type === '*/*' || type === 'application/*' || type === 'application/vnd.cvat+json')
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>()
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  return cookies
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
}
