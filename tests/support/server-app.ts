import { rm } from 'node:fs/promises'
import path from 'node:path'
import { startTestApp, tempDir, type TestApp, type TestAppOptions } from './app.js'
import {
  startClickHouseShim,
  type ClickHouseShim,
  type OutageKind,
  type ShimOptions,
} from './clickhouse-shim.js'

/** The app on a ClickHouse HTTP endpoint (CLICKHOUSE_URL), with the endpoint to fail on demand. */
export interface ServerTestApp extends TestApp {
  readonly clickhouse: ClickHouseShim
  /** Stops the app, the endpoint, and removes the directory of both. */
  stop(): Promise<void>
}

export interface ServerTestAppOptions extends Omit<TestAppOptions, 'dir'> {
  /** Start the app while the endpoint is already failing this way (the app then does not wait for the store). */
  readonly down?: OutageKind
  readonly shim?: ShimOptions
}

/**
 * THE helper for "a ClickHouse server and the app on it": a chDB-backed ClickHouse HTTP endpoint
 * in `dir/server` and the app with CLICKHOUSE_URL pointing at it, DATA_DIR `dir`. Tests of the
 * CLICKHOUSE_URL path build both through here.
 */
export async function startServerTestApp(
  env: Record<string, string> = {},
  options: ServerTestAppOptions = {},
): Promise<ServerTestApp> {
  const dir = await tempDir('aa-server-')
  const clickhouse = await startClickHouseShim(path.join(dir, 'server'), options.shim ?? {})
  try {
    if (options.down) await clickhouse.outage(options.down)
    const { down, shim: _shim, ...appOptions } = options
    const t = await startTestApp(
      { CLICKHOUSE_URL: clickhouse.url, ...env },
      { ...appOptions, dir, waitReady: appOptions.waitReady ?? down === undefined },
    )
    return {
      app: t.app,
      config: t.config,
      dir,
      clickhouse,
      get sql() {
        return t.sql
      },
      request: (...args) => t.request(...args),
      events: (...args) => t.events(...args),
      restart: () => t.restart(),
      async stop() {
        try {
          await t.stop()
        } finally {
          await clickhouse.close()
          await rm(dir, { recursive: true, force: true })
        }
      },
    }
  } catch (error) {
    await clickhouse.close()
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}
