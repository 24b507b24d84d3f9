import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// Every variable config.ts reads is in the table of docs/configuration.md, so users find each
// setting and its default.
const config = readFileSync(new URL('../../src/config.ts', import.meta.url), 'utf8')
const reference = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8')

describe('the configuration reference (docs/configuration.md)', () => {
  const read = [...config.matchAll(/read\.\w+\('([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1] as string)

  it('finds the variables config.ts reads', () => {
    expect(read).toEqual(
      expect.arrayContaining(['PORT', 'DATA_DIR', 'CLICKHOUSE_URL', 'ANALYTICS_ADMIN_PASSWORD']),
    )
  })

  it.each([...new Set(read)])('lists %s with its default', (name) => {
    expect(reference).toMatch(new RegExp(`^\\| \`${name}\`\\s*\\|`, 'm'))
  })
})
