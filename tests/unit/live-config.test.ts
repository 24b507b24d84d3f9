import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'

describe('live settings', () => {
  it('defaults to one replica without Redis, a 10,000-event buffer, pings every 12 s, re-checks every minute', () => {
    expect(loadConfig({}).live).toEqual({
      redisUrl: undefined,
      bufferEvents: 10_000,
      keepAliveMs: 12_000,
      recheckS: 60,
    })
  })

  it('takes a redis:// or rediss:// URL', () => {
    expect(loadConfig({ REDIS_URL: 'redis://redis:6379/0' }).live.redisUrl).toBe('redis://redis:6379/0')
    expect(loadConfig({ REDIS_URL: 'rediss://u:p@redis:6380' }).live.redisUrl).toBe('rediss://u:p@redis:6380')
  })

  it('names every bad live setting at once', () => {
    let error: unknown
    try {
      loadConfig({ REDIS_URL: 'http://redis:6379', LIVE_BUFFER_EVENTS: '0', LIVE_KEEPALIVE_MS: 'soon' })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).problems).toEqual([
      "REDIS_URL must be a redis:// or rediss:// URL, got 'http://redis:6379'",
      "LIVE_BUFFER_EVENTS must be an integer from 1 to 10000000, got '0'",
      "LIVE_KEEPALIVE_MS must be an integer from 0 to 3600000, got 'soon'",
    ])
  })
})
