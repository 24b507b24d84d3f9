import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import {
  environmentOf,
  labelsOf,
  loadComposeFile,
  mergeCompose,
  publishedPorts,
  type Compose,
  type Env,
} from '../support/compose.js'

// deploy/next-to-cvat/docker-compose.analytics.yml merged over CVAT's own compose and Traefik
// files, as `docker compose -f docker-compose.yml [-f docker-compose.https.yml] -f …analytics.yml`
// does in CVAT's checkout (CVAT v2.73.0's files, in tests/fixtures/cvat/, name their source).
// No Docker here: compose's interpolation and merge are re-enacted (tests/support/compose.ts) and
// Traefik's choice of router is computed from the rules and priorities, as Traefik makes it.
const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')
const OVERRIDE = read('../../deploy/next-to-cvat/docker-compose.analytics.yml')
const CVAT = read('../fixtures/cvat/docker-compose.yml')
const CVAT_HTTPS = read('../fixtures/cvat/docker-compose.https.yml')
const CVAT_FILE_RULES = read('../fixtures/cvat/components/analytics/grafana_conf.yml')
const DEPLOYMENT_DOC = read('../../docs/deployment.md')
const CONFIG_SOURCE = read('../../src/config.ts')

const SHELL: Env = { ANALYTICS_ADMIN_PASSWORD: 'an-admin-password', ACME_EMAIL: 'ops@cvat.example' }

function project(https: boolean, env: Env = SHELL): Compose {
  const files = [CVAT, ...(https ? [CVAT_HTTPS] : []), OVERRIDE]
  return mergeCompose(files.map((text) => loadComposeFile(text, env)))
}

describe('the override itself', () => {
  it("sets only variables the service reads, and they load into CVAT's identity provider behind a proxy", () => {
    const env = environmentOf(loadComposeFile(OVERRIDE, SHELL).services.analytics_api)
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['CVAT_URL', 'TRUST_PROXY', 'DATA_DIR']))
    for (const name of Object.keys(env)) expect(CONFIG_SOURCE).toContain(`'${name}'`)
    const loaded = loadConfig(env)
    expect(loaded.cvat?.url).toBe('http://cvat_server:8080')
    expect(loaded.trustProxy).toBe(true)
    expect({ port: loaded.cvatLoggerPort, host: loaded.cvatLoggerHost }).toEqual({
      port: 8081,
      host: '0.0.0.0',
    })
  })

  it("reads without any variable of ours, so CVAT's everyday compose commands need none", () => {
    const env = environmentOf(project(false, {}).services.analytics_api)
    expect(env.ANALYTICS_ADMIN_PASSWORD).toBe('')
    expect(loadConfig(env).adminPassword).toBeUndefined()
  })

  it('is the file docs/deployment.md tells users to add, with the route it documents', () => {
    expect(DEPLOYMENT_DOC).toContain('deploy/next-to-cvat/docker-compose.analytics.yml')
    expect(DEPLOYMENT_DOC).toContain('Host(`${CVAT_HOST:-localhost}`) && PathPrefix(`/analytics-api/`)')
  })
})

describe.each([
  ['plain HTTP', false],
  ['HTTPS (docker-compose.https.yml)', true],
])("next to CVAT's compose over %s", (_name, https) => {
  const merged = project(https)
  const ours = merged.services.analytics_api

  it("joins CVAT's network under a name every CVAT service resolves", () => {
    const networks = ours?.networks as Record<string, { aliases?: string[] }>
    expect(Object.keys(networks)).toEqual(['cvat'])
    expect(networks.cvat?.aliases).toContain('analytics-api')
    expect(Object.keys((parse(CVAT) as Compose).networks as object)).toContain('cvat')
  })

  it('points every CVAT service that logs to Vector (the x-backend-env anchor) at the listener', () => {
    const cvatOnly = mergeCompose([loadComposeFile(CVAT, SHELL)])
    const loggers = Object.entries(cvatOnly.services)
      .filter(([, service]) => environmentOf(service).DJANGO_LOG_SERVER_HOST !== undefined)
      .map(([name]) => name)
    // The anchor is shared by the server and all eight workers of CVAT v2.73.0.
    expect(loggers).toHaveLength(9)
    const listener = environmentOf(ours)
    for (const name of loggers) {
      const env = environmentOf(merged.services[name])
      expect({ name, host: env.DJANGO_LOG_SERVER_HOST, port: env.DJANGO_LOG_SERVER_PORT }).toEqual({
        name,
        host: 'analytics-api',
        port: listener.CVAT_LOGGER_PORT,
      })
      // Everything else CVAT set for the service is kept (compose merges environments key by key).
      expect(env.CVAT_POSTGRES_HOST).toBe('cvat_db')
    }
    expect(listener.CVAT_LOGGER_HOST).toBe('0.0.0.0')
  })

  it('publishes no host port, so none can clash with what CVAT publishes', () => {
    const overrideOnly = loadComposeFile(OVERRIDE, SHELL)
    for (const service of Object.values(overrideOnly.services)) expect(service.ports).toBeUndefined()
    const published = Object.values(merged.services).flatMap(publishedPorts)
    expect(new Set(published).size).toBe(published.length)
  })

  for (const host of [
    'localhost',
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}`,
  ]) {
    it(`routes /analytics-api/ to the service, stripped, ahead of CVAT's Grafana (CVAT_HOST of ${host.length} characters)`, () => {
      const routers = traefikRouters(project(https, { ...SHELL, CVAT_HOST: host }), host)
      const entrypoints = https ? ['web', 'websecure'] : ['web']
      for (const entrypoint of entrypoints) {
        const chosen = route(routers, entrypoint, host, '/analytics-api/graphql')
        expect({ entrypoint, router: chosen?.name }).toEqual({
          entrypoint,
          router: entrypoint === 'web' ? 'analytics-api' : 'analytics-api-https',
        })
        expect(chosen?.service).toBe('analytics-api')
        expect(chosen?.middlewares).toEqual(['analytics-api-strip'])
        if (entrypoint === 'websecure') expect(chosen?.tls).toBe(true)
        // What CVAT serves stays CVAT's (with HTTPS, CVAT's own routers are on websecure only:
        // its web entrypoint redirects every request there).
        expect(route(routers, entrypoint, host, '/analytics/d/abc')?.name).toMatch(/^grafana/)
        if (entrypoint === (https ? 'websecure' : 'web')) {
          expect(route(routers, entrypoint, host, '/api/users/self')?.name).toBe('cvat')
          expect(route(routers, entrypoint, host, '/tasks/1')?.name).toBe('cvat-ui')
        }
      }
      const labels = labelsOf(merged.services.analytics_api)
      // Explicit, not the rule's length Traefik would use: the order must not hang on CVAT_HOST.
      for (const router of ['analytics-api', 'analytics-api-https']) {
        const others = routers.filter((r) => !r.name.startsWith('analytics-api'))
        const priority = Number(labels[`traefik.http.routers.${router}.priority`])
        expect(priority).toBeGreaterThan(Math.max(...others.map((r) => r.priority)))
      }
      expect(labels['traefik.http.middlewares.analytics-api-strip.stripprefix.prefixes']).toBe(
        '/analytics-api',
      )
      expect(labels['traefik.http.services.analytics-api.loadbalancer.server.port']).toBe('8080')
    })
  }

  it('has Traefik entrypoints for each router it adds there', () => {
    const traefik = environmentOf(merged.services.traefik)
    const defined = Object.keys(traefik)
      .map((key) => /^TRAEFIK_ENTRYPOINTS_([^_]+)_ADDRESS$/.exec(key)?.[1])
      .filter((name) => name !== undefined)
    expect(defined).toContain('web')
    expect(defined.includes('websecure')).toBe(https)
  })
})

interface Router {
  readonly name: string
  readonly rule: string
  readonly entrypoints: readonly string[]
  readonly priority: number
  readonly service?: string
  readonly middlewares: readonly string[]
  readonly tls: boolean
}

/** Routers from the docker provider (labels of enabled services) and CVAT's file provider. */
function traefikRouters(compose: Compose, host: string): Router[] {
  const routers: Router[] = []
  for (const service of Object.values(compose.services)) {
    const labels = labelsOf(service)
    if (labels['traefik.enable'] !== 'true') continue
    const names = new Set(
      Object.keys(labels).flatMap((key) => /^traefik\.http\.routers\.([^.]+)\./.exec(key)?.[1] ?? []),
    )
    for (const name of names) {
      const get = (key: string) => labels[`traefik.http.routers.${name}.${key}`]
      const rule = get('rule') ?? ''
      const tls = get('tls') === 'true' || get('tls.certresolver') !== undefined
      routers.push({
        name,
        rule,
        entrypoints: (get('entrypoints') ?? '').split(','),
        priority: Number(get('priority') ?? rule.length),
        service: get('service'),
        middlewares: get('middlewares')?.split(',') ?? [],
        tls,
      })
    }
  }
  const file = parse(CVAT_FILE_RULES) as {
    http: {
      routers: Record<
        string,
        {
          entryPoints: string[]
          rule: string
          service: string
          middlewares: string[]
          tls?: object
          priority?: number
        }
      >
    }
  }
  for (const [name, r] of Object.entries(file.http.routers)) {
    const rule = r.rule.replace(/\{\{ env "CVAT_HOST" \}\}/g, host)
    routers.push({
      name,
      rule,
      entrypoints: r.entryPoints,
      priority: r.priority ?? rule.length,
      service: r.service,
      middlewares: r.middlewares,
      tls: r.tls !== undefined,
    })
  }
  return routers
}

/** The router Traefik picks on an entrypoint: the matching one of highest priority. */
function route(
  routers: readonly Router[],
  entrypoint: string,
  host: string,
  path: string,
): Router | undefined {
  return routers
    .filter((r) => r.entrypoints.includes(entrypoint) && matches(r.rule, host, path))
    .sort((a, b) => b.priority - a.priority)[0]
}

/** Traefik's rule language as CVAT and this override use it: Host, PathPrefix, &&, ||, !, parentheses. */
function matches(rule: string, host: string, path: string): boolean {
  const tokens = rule.match(/&&|\|\||!|\(|\)|\w+\((?:\s*`[^`]*`\s*,?)*\)/g) ?? []
  let i = 0
  const or = (): boolean => {
    let value = and()
    while (tokens[i] === '||') {
      i += 1
      value = and() || value
    }
    return value
  }
  const and = (): boolean => {
    let value = unary()
    while (tokens[i] === '&&') {
      i += 1
      value = unary() && value
    }
    return value
  }
  const unary = (): boolean => {
    const token = tokens[i++]
    if (token === '!') return !unary()
    if (token === '(') {
      const value = or()
      i += 1 // ')'
      return value
    }
    const m = /^(\w+)\((.*)\)$/s.exec(token ?? '')
    if (!m) throw new Error(`unexpected ${token} in rule ${rule}`)
    const args = [...(m[2] ?? '').matchAll(/`([^`]*)`/g)].map((a) => a[1] as string)
    if (m[1] === 'Host') return args.some((a) => a.toLowerCase() === host.toLowerCase())
    if (m[1] === 'PathPrefix') return args.some((a) => path.startsWith(a))
    throw new Error(`matcher ${m[1]} is not modelled`)
  }
  return or()
}
