import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { buildApp, type App, type AppOptions } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { silentLogger, type Logger } from '../../src/observability/logger.js'
import { createEngine, type Engine } from '../../src/store/engine.js'
import { PEOPLE, seedAccounts } from './fixtures.js'

export interface TestApp {
  readonly app: App
  readonly config: Config
  readonly dir: string
  /** Sends a request through the app's fetch (no port). */
  request(
    method: string,
    path: string,
    init?: { body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<Response>
  /**
   * An engine of its own on the app's store, for assertions and setups in SQL: tests may run any
   * SQL, the service's code may not (it goes through the store's query families).
   */
  readonly sql: Engine
  /** Rows of the events table, for assertions. */
  events(where?: string, params?: Record<string, unknown>): Promise<StoredEvent[]>
  stop(): Promise<void>
  /** A new app on the same data directory and settings, after this one stopped (a service restart). */
  restart(): Promise<TestApp>
}

export interface StoredEvent {
  event_id: string
  scope: string
  obj_name: string | null
  obj_id: string | null
  obj_val: string | null
  source: string
  timestamp: string
  count: number | null
  duration: number
  project_id: string | null
  task_id: string | null
  job_id: string | null
  user_id: string | null
  user_name: string | null
  user_email: string | null
  org_id: string | null
  org_slug: string | null
  payload: string | null
  access_token_id: string | null
  remote_addr: string | null
  request_id: string
}

/** A fresh data directory under the system temp dir; removed by the caller. */
export function tempDir(prefix = 'aa-test-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix))
}

export type TestAppOptions = Omit<AppOptions, 'log'> & {
  log?: Logger
  dir?: string
  /** Wait until the store is migrated (tests of a store that is away say false). @default true */
  waitReady?: boolean
}

/** Builds the app on chDB in a fresh temp directory, with the test world's accounts. */
export async function startTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const dir = options.dir ?? (await tempDir())
  const config = loadConfig({
    DATA_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    ANALYTICS_ADMIN_PASSWORD: PEOPLE.admin.password,
    LOG_LEVEL: 'error',
    // Everything else is production's default (the response cache included): a test that needs
    // another setting names it where it starts the app.
    ...env,
  })
  await seedAccounts(config.accountsFile)
  const { dir: _dir, waitReady, ...appOptions } = options
  const app = await buildApp(config, { ...appOptions, log: options.log ?? silentLogger })
  if (waitReady ?? true) await app.services.readiness.whenReady()
  let sql: Engine | undefined
  return {
    app,
    config,
    dir,
    get sql() {
      return (sql ??= createEngine(config.store))
    },
    request(method, urlPath, init = {}) {
      const headers: Record<string, string> = { ...(init.headers ?? {}) }
      let body: string | undefined = init.raw
      if (init.body !== undefined) {
        body = JSON.stringify(init.body)
        headers['content-type'] ??= 'application/json'
      }
      return app.fetch(
        new Request(`http://test.local${urlPath}`, {
          method,
          headers,
          ...(body === undefined ? {} : { body }),
        }),
      )
    },
    events(where = '1', params = {}) {
      sql ??= createEngine(config.store)
      return sql.rows<StoredEvent>({
        name: 'test.events',
        sql: `SELECT *, event_id, ingested_at, exception_group, request_id FROM ${config.store.database}.events WHERE ${where} ORDER BY timestamp, event_id`,
        params,
      })
    },
    async stop() {
      await sql?.close()
      await app.stop()
      if (!options.dir) await rm(dir, { recursive: true, force: true })
    },
    restart: () => startTestApp(env, { ...options, dir }),
  }
}
