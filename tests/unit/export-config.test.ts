import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig, type ConfigError } from '../../src/config.js'

describe('export configuration', () => {
  it('defaults to DATA_DIR/exports, 24 hours, 2 exports at once and 1 per user', () => {
    const config = loadConfig({ DATA_DIR: '/var/lib/analytics' })
    expect(config).toMatchObject({
      exportDir: path.resolve('/var/lib/analytics/exports'),
      exportTtlHours: 24,
      exportConcurrency: 2,
      exportUserConcurrency: 1,
      exportWindowRows: 250_000,
      exportQueryTimeoutMs: 600_000,
    })
  })

  it('takes fractions of an hour and a directory of its own', () => {
    const config = loadConfig({ EXPORT_TTL_HOURS: '0.5', EXPORT_DIR: '/srv/exports' })
    expect(config.exportTtlHours).toBe(0.5)
    expect(config.exportDir).toBe('/srv/exports')
  })

  it('names every bad export variable at once', () => {
    let problems: readonly string[] = []
    try {
      loadConfig({ EXPORT_TTL_HOURS: 'soon', EXPORT_CONCURRENCY: '0', EXPORT_WINDOW_ROWS: '-5' })
    } catch (error) {
      problems = (error as ConfigError).problems
    }
    expect(problems).toHaveLength(3)
    expect(problems.join('\n')).toMatch(/EXPORT_TTL_HOURS[\s\S]*EXPORT_CONCURRENCY[\s\S]*EXPORT_WINDOW_ROWS/)
  })
})
