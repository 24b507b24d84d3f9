import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'

describe('CVAT identity options', () => {
  it('leaves CVAT off while CVAT_URL is unset', () => {
    expect(loadConfig({}).cvat).toBeUndefined()
  })

  it('turns CVAT on with CVAT_URL, with the documented defaults', () => {
    expect(loadConfig({ CVAT_URL: 'http://cvat_server:8080' }).cvat).toEqual({
      url: 'http://cvat_server:8080',
      timeoutMs: 5_000,
      authTtlS: 60,
      authFailureTtlS: 10,
      authGraceS: 300,
      authCacheSize: 10_000,
    })
  })

  it('reads every option', () => {
    const config = loadConfig({
      CVAT_URL: 'https://cvat.example.com/',
      CVAT_TIMEOUT_MS: '1500',
      CVAT_AUTH_TTL_S: '30',
      CVAT_AUTH_FAILURE_TTL_S: '0',
      CVAT_AUTH_GRACE_S: '900',
      CVAT_AUTH_CACHE_SIZE: '500',
    })
    expect(config.cvat).toEqual({
      url: 'https://cvat.example.com/',
      timeoutMs: 1500,
      authTtlS: 30,
      authFailureTtlS: 0,
      authGraceS: 900,
      authCacheSize: 500,
    })
    expect(Object.isFrozen(config.cvat)).toBe(true)
  })

  it('reports each bad option, even while CVAT_URL is unset', () => {
    let error: unknown
    try {
      loadConfig({
        CVAT_URL: 'cvat:8080',
        CVAT_TIMEOUT_MS: '0',
        CVAT_AUTH_TTL_S: 'a minute',
        CVAT_AUTH_FAILURE_TTL_S: '-1',
        CVAT_AUTH_GRACE_S: '1.5',
        CVAT_AUTH_CACHE_SIZE: '1',
      })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).problems.map((p) => p.split(' ')[0])).toEqual([
      'CVAT_URL',
      'CVAT_TIMEOUT_MS',
      'CVAT_AUTH_TTL_S',
      'CVAT_AUTH_FAILURE_TTL_S',
      'CVAT_AUTH_GRACE_S',
      'CVAT_AUTH_CACHE_SIZE',
    ])
    expect(() => loadConfig({ CVAT_AUTH_TTL_S: 'soon' })).toThrow(/CVAT_AUTH_TTL_S/)
  })
})
