import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { loadConfig } from '../../src/config.js'
import { HEALTH_PATH } from '../../src/pipeline/health.js'
import { provisionedDatasources, ROOT, INFINITY_PLUGIN_ID } from '../../scripts/dashboards/dashboards.js'
import { loadComposeFile, parseDotEnv } from '../support/compose.js'

/**
 * What can be checked of the production stack without a Docker engine: the files it names exist,
 * its settings are the service's own variables with valid values, and its parts agree on names
 * and ports.
 */

interface Service {
  image?: string
  build?: { context: string; dockerfile: string }
  environment?: Record<string, string>
  volumes?: string[]
  ports?: string[]
  depends_on?: Record<string, { condition: string }>
  healthcheck?: { test: string[] }
}
interface Compose {
  services: Record<string, Service>
  volumes?: Record<string, unknown>
}

const deployDir = path.join(ROOT, 'deploy')
const composeText = readFileSync(path.join(deployDir, 'docker-compose.yml'), 'utf8')
const envExample = readFileSync(path.join(deployDir, '.env.example'), 'utf8')
// As compose reads the file: .env.example's variables, the secrets it leaves empty filled in.
const filledEnv = Object.fromEntries(
  Object.entries(parseDotEnv(envExample)).map(([k, v]) => [k, v === '' ? 'sample-secret-1' : v]),
)
const compose = loadComposeFile(composeText, filledEnv) as unknown as Compose
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
const configSource = readFileSync(path.join(ROOT, 'src/config.ts'), 'utf8')
const configVariables = new Set(
  [...configSource.matchAll(/read\.\w+\('([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]),
)
const service = (name: string): Service => {
  const found = compose.services[name]
  if (!found) throw new Error(`deploy/docker-compose.yml has no service '${name}'`)
  return found
}

/** Compose's `${NAME:?message}` and `${NAME}` with a sample value, as a filled-in .env gives them. */
function withEnv(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([k, v]) => [
      k,
      String(v).replace(/\$\{(\w+)(:\?[^}]*)?\}/g, 'sample-secret-1'),
    ]),
  )
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn)
  return []
}

describe('deploy/docker-compose.yml', () => {
  it('parses, with ClickHouse, the service and Grafana', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['analytics', 'clickhouse', 'grafana'])
  })

  it('builds the service from the Dockerfile at the repository root', () => {
    const { build } = service('analytics')
    expect(build).toBeDefined()
    const context = path.resolve(deployDir, build?.context ?? '')
    expect(context).toBe(ROOT)
    expect(existsSync(path.join(context, build?.dockerfile ?? ''))).toBe(true)
  })

  it('mounts only paths that exist, and declares every named volume', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const volume of s.volumes ?? []) {
        const [source] = volume.split(':') as [string]
        if (source.startsWith('.') || source.startsWith('/')) {
          expect(existsSync(path.resolve(deployDir, source)), `${name}: ${volume}`).toBe(true)
        } else expect(Object.keys(compose.volumes ?? {}), `${name}: ${volume}`).toContain(source)
      }
    }
  })

  it('gives the service only variables config.ts reads, and values it accepts', () => {
    const environment = service('analytics').environment ?? {}
    for (const name of Object.keys(environment)) expect(configVariables, name).toContain(name)
    const config = loadConfig({ ...withEnv(environment), DATA_DIR: '/data' })
    expect(config.store).toMatchObject({ kind: 'server' })
    expect(config.cvatLoggerPort).toBe(8081)
  })

  it('points the service at the ClickHouse service, with its database, user and password', () => {
    const ch = service('clickhouse').environment ?? {}
    const env = service('analytics').environment ?? {}
    expect(new URL(env.CLICKHOUSE_URL ?? '').host).toBe('clickhouse:8123')
    // The service's user is defined by the mounted users.d file, its password handed over by
    // ClickHouse's environment (the database the service creates itself at start).
    const users = readFileSync(path.join(deployDir, 'clickhouse/users.d/analytics.xml'), 'utf8')
    expect(users).toContain(`<${env.CLICKHOUSE_USER}>`)
    expect(env.CLICKHOUSE_DATABASE).toMatch(/^\w+$/)
    expect(env.CLICKHOUSE_PASSWORD).toBe(ch.ANALYTICS_CLICKHOUSE_PASSWORD)
    expect(service('analytics').depends_on?.clickhouse?.condition).toBe('service_healthy')
  })

  it("publishes the service's PORT", () => {
    const { environment, ports } = service('analytics')
    expect(environment?.PORT).toBeDefined()
    // Published on a host port of the deployer's choosing (CVAT's Traefik may hold 8080 there).
    expect((ports ?? []).some((p) => p.endsWith(`:${environment?.PORT}`))).toBe(true)
  })

  it('asks for every secret in .env.example, and writes none', () => {
    const required = [...composeText.matchAll(/\$\{(\w+):\?/g)].map((m) => m[1] as string)
    expect(required.length).toBeGreaterThan(0)
    for (const name of new Set(required)) expect(envExample).toMatch(new RegExp(`^${name}=$`, 'm'))
  })

  it("gives Grafana the Infinity plugin, this repository's provisioning and dashboards, and the datasource's variables", () => {
    const grafana = service('grafana')
    const env = grafana.environment ?? {}
    expect(env.GF_PLUGINS_PREINSTALL_SYNC).toMatch(new RegExp(`^${INFINITY_PLUGIN_ID}@`))
    const mounts = Object.fromEntries(
      (grafana.volumes ?? []).map((v) => {
        const [source, target] = v.split(':') as [string, string]
        return [target, path.resolve(deployDir, source)]
      }),
    )
    expect(mounts['/etc/grafana/provisioning']).toBe(path.join(ROOT, 'grafana/provisioning'))
    const provider = parseYaml(
      readFileSync(path.join(ROOT, 'grafana/provisioning/dashboards/annotation-analytics.yaml'), 'utf8'),
    ) as { providers: { options: { path: string } }[] }
    expect(mounts[provider.providers[0]?.options.path ?? '']).toBe(path.join(ROOT, 'grafana/dashboards'))

    const datasourceYaml: unknown = parseYaml(
      readFileSync(path.join(ROOT, 'grafana/provisioning/datasources/annotation-analytics.yaml'), 'utf8'),
    )
    // Grafana expands $NAME and ${NAME} from its environment in every value; $$ is a literal dollar.
    const wanted = new Set(
      stringsIn(datasourceYaml).flatMap((v) =>
        [...v.replace(/\$\$/g, '').matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1] as string),
      ),
    )
    expect([...wanted].sort()).toEqual(['ANALYTICS_GRAFANA_TOKEN', 'ANALYTICS_URL'])
    for (const name of wanted) expect(Object.keys(env), name).toContain(name)
    const analytics = service('analytics').environment ?? {}
    expect(env.ANALYTICS_URL).toBe(`http://analytics:${analytics.PORT}`)
  })
})

describe('grafana/provisioning', () => {
  it('defines one Infinity datasource with credentials from the environment only', () => {
    const [datasource, ...others] = provisionedDatasources()
    expect(others).toEqual([])
    expect(datasource?.uid).toBe('annotation-analytics')
    expect(datasource?.url).toBe('${ANALYTICS_URL}')
    expect(datasource?.jsonData?.allowedHosts).toEqual(['${ANALYTICS_URL}'])
    expect(datasource?.secureJsonData?.bearerToken).toBe('${ANALYTICS_GRAFANA_TOKEN}')
    expect(datasource?.jsonData?.httpHeaderName1).toBe('X-Grafana-User')
    expect(datasource?.secureJsonData?.httpHeaderValue1).toBe('$${__user.login}')
  })
})

describe('Dockerfile', () => {
  it('runs a current LTS Node (an even major, 22 or later), on glibc for chDB', () => {
    const bases = [...dockerfile.matchAll(/^FROM node:(\d+)-(\S+)/gm)]
    expect(bases.length).toBeGreaterThan(0)
    for (const [, major, variant] of bases) {
      expect(Number(major) % 2).toBe(0)
      expect(Number(major)).toBeGreaterThanOrEqual(22)
      expect(variant).not.toMatch(/alpine/)
    }
  })

  it('runs as a non-root user, with the data directory a volume', () => {
    expect(dockerfile).toMatch(/^USER node$/m)
    expect(dockerfile).toMatch(/DATA_DIR=\/data/)
    expect(dockerfile).toMatch(/^VOLUME \["\/data"\]$/m)
    expect(dockerfile).toMatch(/chown node:node \/data/)
  })

  it("checks health on the service's health route and PORT, and exposes that port", () => {
    const healthcheck = /^HEALTHCHECK[\s\S]*?CMD (.*)$/m.exec(dockerfile)?.[1] ?? ''
    expect(healthcheck).toContain(`'${HEALTH_PATH}'`)
    expect(healthcheck).toContain('process.env.PORT')
    const port = /PORT=(\d+)/.exec(dockerfile)?.[1]
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${port}$`, 'm'))
    expect(port).toBe(String(loadConfig({}).port))
  })

  it('copies only files that exist, and starts what the build writes', () => {
    for (const [, sources] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of (sources ?? '').split(/\s+/))
        expect(existsSync(path.join(ROOT, source)), source).toBe(true)
    }
    const build = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { outDir: string; rootDir: string }
    }
    expect(dockerfile).toContain(`CMD ["node", "${build.compilerOptions.outDir}/main.js"]`)
    expect(existsSync(path.join(ROOT, build.compilerOptions.rootDir, 'main.ts'))).toBe(true)
  })
})
