import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'

// The compose override of "Next to CVAT" (README): its settings are the service's, they load, and
// its route is the one the README documents. No Docker here, so the file is read as text.
const compose = readFileSync(
  new URL('../../deploy/next-to-cvat/docker-compose.analytics.yml', import.meta.url),
  'utf8',
)
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const config = readFileSync(new URL('../../src/config.ts', import.meta.url), 'utf8')

/** `NAME: value` lines of the service's environment (uncommented), with compose's ${…} defaults applied. */
function environment(): Record<string, string> {
  const block = /\n {4}environment:\n((?: {6}.*\n)+)/.exec(compose)?.[1] ?? ''
  const entries = [...block.matchAll(/^ {6}([A-Z][A-Z0-9_]*): (.*)$/gm)].map((m) => {
    const value = (m[2] as string)
      .replace(/^'(.*)'$/, '$1')
      .replace(/\$\{[A-Z_]+:\?[^}]*\}/, 'secret-password')
    return [m[1] as string, value] as const
  })
  return Object.fromEntries(entries)
}

describe('deploy/next-to-cvat', () => {
  it("sets only variables the service reads, and they load into CVAT's identity provider behind a proxy", () => {
    const env = environment()
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['CVAT_URL', 'TRUST_PROXY', 'DATA_DIR']))
    for (const name of Object.keys(env)) expect(config).toContain(`'${name}'`)
    const loaded = loadConfig(env)
    expect(loaded.cvat?.url).toBe('http://cvat_server:8080')
    expect(loaded.trustProxy).toBe(true)
  })

  it("routes /analytics-api/ on CVAT's host to the service and strips the prefix, as the README says", () => {
    const rule = 'Host(`${CVAT_HOST:-localhost}`) && PathPrefix(`/analytics-api/`)'
    expect(compose).toContain(`traefik.http.routers.analytics-api.rule: ${rule}`)
    expect(compose).toContain(
      'traefik.http.middlewares.analytics-api-strip.stripprefix.prefixes: /analytics-api',
    )
    expect(compose).toContain("traefik.http.services.analytics-api.loadbalancer.server.port: '8080'")
    expect(compose).toMatch(/networks:\n\s+- cvat\n/)
    expect(readme).toContain(rule)
    expect(readme).toContain('deploy/next-to-cvat/docker-compose.analytics.yml')
  })
})
