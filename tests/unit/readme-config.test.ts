import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// Every variable config.ts reads is in the README's table, so users find each setting and its default.
const config = readFileSync(new URL('../../src/config.ts', import.meta.url), 'utf8')
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

describe('README configuration table', () => {
  const read = [...config.matchAll(/read\.\w+\('([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1] as string)

  it('finds the variables config.ts reads', () => {
    expect(read).toEqual(
      expect.arrayContaining(['PORT', 'DATA_DIR', 'CLICKHOUSE_URL', 'ANALYTICS_ADMIN_PASSWORD']),
    )
  })

  it.each([...new Set(read)])('lists %s with its default', (name) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\`\\s*\\|`, 'm'))
  })
})
