import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'

describe('loadConfig', () => {
  it('defaults to the embedded store under ./data on port 8080', () => {
    const config = loadConfig({})
    expect(config.port).toBe(8080)
    expect(config.dataDir).toBe(path.resolve('data'))
    expect(config.store).toMatchObject({
      kind: 'embedded',
      path: path.resolve('data/clickhouse'),
      retentionDays: 0,
    })
    expect(config.accountsFile).toBe(path.resolve('data/accounts.json'))
    expect(config.cvatLoggerPort).toBeUndefined()
    expect(config.cvatLoggerHost).toBe('127.0.0.1')
    expect(config.adminPassword).toBeUndefined()
  })

  it('switches to a ClickHouse server when CLICKHOUSE_URL is set', () => {
    const config = loadConfig({
      CLICKHOUSE_URL: 'http://ch:8123',
      CLICKHOUSE_USER: 'analytics',
      CLICKHOUSE_PASSWORD: 'pw',
      CLICKHOUSE_DATABASE: 'cvat',
      RETENTION_DAYS: '90',
    })
    expect(config.store).toEqual({
      kind: 'server',
      url: 'http://ch:8123',
      username: 'analytics',
      password: 'pw',
      database: 'cvat',
      queryTimeoutMs: 30_000,
      retentionDays: 90,
      useRollups: true,
      cluster: undefined,
      rollupFeed: 'auto',
      rollupPassMs: 1000,
    })
  })

  it('takes the rollups feed and the passes interval, and refuses another feed', () => {
    expect(loadConfig({ ROLLUP_FEED: 'view', ROLLUP_PASS_MS: '0' }).store).toMatchObject({
      rollupFeed: 'view',
      rollupPassMs: 0,
    })
    expect(() => loadConfig({ ROLLUP_FEED: 'trigger' })).toThrow(/ROLLUP_FEED/)
  })

  it('takes a cluster only with a server, and ROLLUPS=off', () => {
    expect(loadConfig({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: 'main' }).store).toMatchObject({
      cluster: 'main',
    })
    expect(loadConfig({ ROLLUPS: 'off' }).store.useRollups).toBe(false)
    expect(() => loadConfig({ CLICKHOUSE_CLUSTER: 'main' })).toThrow(
      /CLICKHOUSE_CLUSTER needs CLICKHOUSE_URL/,
    )
    expect(() => loadConfig({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: "x'; DROP" })).toThrow(
      /CLICKHOUSE_CLUSTER must be a cluster name/,
    )
  })

  it('reports every problem at once, naming each variable', () => {
    let error: unknown
    try {
      loadConfig({
        PORT: 'eighty',
        MAX_BODY_BYTES: '-1',
        CLICKHOUSE_URL: 'ftp://x',
        LOG_LEVEL: 'loud',
        TRUST_PROXY: 'maybe',
        ANALYTICS_ADMIN_PASSWORD: 'short',
        CLICKHOUSE_DATABASE: 'x; DROP',
      })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems.join('\n')
    for (const name of [
      'PORT',
      'MAX_BODY_BYTES',
      'CLICKHOUSE_URL',
      'LOG_LEVEL',
      'TRUST_PROXY',
      'ANALYTICS_ADMIN_PASSWORD',
      'CLICKHOUSE_DATABASE',
    ]) {
      expect(problems).toContain(name)
    }
    expect((error as ConfigError).problems).toHaveLength(7)
  })

  it('returns a frozen object', () => {
    const config = loadConfig({})
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.store)).toBe(true)
  })

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', CLICKHOUSE_URL: '' }).store.kind).toBe('embedded')
  })
})
