import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  environmentOf,
  loadComposeFile,
  mergeCompose,
  parseDotEnv,
  publishedPorts,
  type Env,
} from '../support/compose.js'

// deploy/docker-compose.yml, read as compose reads it (no Docker here): the versions it pins, how
// passwords reach ClickHouse, the image it builds, the ports it takes on a host it may share with
// CVAT, and Grafana's refusal to start without its token.
const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')
const STACK = read('../../deploy/docker-compose.yml')
const USERS_XML = read('../../deploy/clickhouse/users.d/analytics.xml')
const DOCKERFILE = read('../../Dockerfile')
const LOCK = JSON.parse(read('../../package-lock.json')) as {
  packages: Record<string, { version?: string }>
}

// Every XML metacharacter, and the two characters compose's .env syntax treats specially when
// unquoted (neither `$` nor ` #` may appear in an unquoted value; quoted, they are kept).
const HOSTILE = `p&ss<w>rd"x'y`
const DOT_ENV = `CLICKHOUSE_PASSWORD=${HOSTILE}
ANALYTICS_ADMIN_PASSWORD='an-admin-$ecret #1'
GRAFANA_ADMIN_PASSWORD=grafana-password
ANALYTICS_GRAFANA_TOKEN=
`
const env: Env = parseDotEnv(DOT_ENV)
const stack = mergeCompose([loadComposeFile(STACK, env)])

describe('deploy/docker-compose.yml', () => {
  it('pins the ClickHouse the tests run against: the version chDB embeds', () => {
    const tag = /^clickhouse\/clickhouse-server:(\d+\.\d+)$/.exec(stack.services.clickhouse?.image ?? '')?.[1]
    const engine = LOCK.packages['node_modules/@chdb/lib-linux-x64-gnu']?.version ?? ''
    // chDB's platform packages carry the ClickHouse version they embed: 26.7.3-stable.1.
    expect(tag).toBeDefined()
    expect(engine.startsWith(`${tag}.`)).toBe(true)
  })

  it('hands the ClickHouse password over through the environment, never inside XML', () => {
    const clickhouse = environmentOf(stack.services.clickhouse)
    const analytics = environmentOf(stack.services.analytics)
    const variable = /<password from_env="([A-Z_]+)"\s*\/>/.exec(USERS_XML)?.[1] ?? ''
    expect(clickhouse[variable]).toBe(HOSTILE)
    expect(analytics.CLICKHOUSE_PASSWORD).toBe(HOSTILE)
    expect(analytics.CLICKHOUSE_USER).toBe(/<users>\s*<([a-z_]+)>/.exec(USERS_XML)?.[1])
    // The image's entrypoint writes CLICKHOUSE_USER/CLICKHOUSE_PASSWORD into XML: neither is set.
    expect(Object.keys(clickhouse)).not.toContain('CLICKHOUSE_PASSWORD')
    expect(Object.keys(clickhouse)).not.toContain('CLICKHOUSE_USER')
    expect(stack.services.clickhouse?.volumes).toContain(
      './clickhouse/users.d/analytics.xml:/etc/clickhouse-server/users.d/analytics.xml:ro',
    )
    // Quoted .env values keep `$` and `#`, as compose keeps them.
    expect(environmentOf(stack.services.analytics).ANALYTICS_ADMIN_PASSWORD).toBe('an-admin-$ecret #1')
  })

  it('builds the image without chDB, which a server deployment never loads', () => {
    expect(stack.services.analytics?.build).toMatchObject({ context: '..', target: 'server' })
    const stages = [...DOCKERFILE.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/gim)].map((m) => ({
      from: m[1] as string,
      name: m[2],
    }))
    const server = DOCKERFILE.slice(DOCKERFILE.search(/^FROM runtime AS server$/m))
    const source = /COPY --from=(\S+) \/app\/node_modules/.exec(server)?.[1]
    expect(stages.find((s) => s.name === source)?.from).toBe('build')
    const sourceStage = DOCKERFILE.slice(DOCKERFILE.search(new RegExp(`^FROM build AS ${source}$`, 'm')))
    expect(sourceStage).toMatch(/^RUN rm -rf node_modules\/chdb node_modules\/@chdb$/m)
    // The default target (the last stage) keeps the embedded engine.
    expect(stages.at(-1)?.name).toBe('embedded')
  })

  it("takes no host port CVAT's Traefik publishes (plain or HTTPS)", () => {
    const cvat = mergeCompose([
      loadComposeFile(read('../fixtures/cvat/docker-compose.yml'), {}),
      loadComposeFile(read('../fixtures/cvat/docker-compose.https.yml'), { ACME_EMAIL: 'ops@example.com' }),
    ])
    const theirs = new Set(Object.values(cvat.services).flatMap(publishedPorts))
    const ours = Object.values(stack.services).flatMap(publishedPorts)
    expect(theirs).toEqual(new Set(['8080', '8090', '80', '443']))
    expect(ours.filter((port) => theirs.has(port))).toEqual([])
    // The listener for CVAT's logger has no authentication: never published.
    expect(ours).not.toContain(environmentOf(stack.services.analytics).CVAT_LOGGER_PORT)
  })

  it('reads without the Grafana token, which the admin command makes after the first start', () => {
    expect(environmentOf(stack.services.grafana).ANALYTICS_GRAFANA_TOKEN).toBe('')
    expect(() => loadComposeFile(STACK, { ...env, CLICKHOUSE_PASSWORD: '' })).toThrow(/CLICKHOUSE_PASSWORD/)
  })

  it('starts Grafana only with the token, saying why otherwise', () => {
    const entrypoint = stack.services.grafana?.entrypoint as string[]
    expect(entrypoint.slice(0, 2)).toEqual(['sh', '-c'])
    // Grafana's image runs /run.sh; here `true` stands in for it.
    const script = (entrypoint[2] as string).replace('exec /run.sh', 'exec true')
    const run = (token: string) =>
      spawnSync('sh', ['-c', script], { env: { PATH: process.env.PATH, ANALYTICS_GRAFANA_TOKEN: token } })
    const refused = run('')
    expect(refused.status).toBe(1)
    expect(refused.stderr.toString()).toMatch(/ANALYTICS_GRAFANA_TOKEN is empty.*docs\/deployment\.md/)
    expect(run('aat_token').status).toBe(0)
  })

  it('installs Grafana’s plugin at the pinned version, or nothing when told so (hosts without internet)', () => {
    expect(environmentOf(stack.services.grafana).GF_PLUGINS_PREINSTALL_SYNC).toBe(
      'yesoreyeram-infinity-datasource@3.11.1',
    )
    const offline = mergeCompose([loadComposeFile(STACK, { ...env, GRAFANA_PLUGINS: '' })])
    expect(environmentOf(offline.services.grafana).GF_PLUGINS_PREINSTALL_SYNC).toBe('')
  })
})

describe("compose's variable rules, as tests/support/compose.ts applies them", () => {
  it('follows compose-go on defaults, required values, escapes and nesting', async () => {
    const { interpolate } = await import('../support/compose.js')
    const vars = { SET: 'x', EMPTY: '' }
    expect(interpolate('${SET:-d} ${EMPTY:-d} ${UNSET:-d} ${EMPTY-d} ${UNSET-d}', vars)).toBe('x d d  d')
    expect(interpolate('$$SET $SET ${SET:+y} ${EMPTY:+y} ${EMPTY+y}', vars)).toBe('$SET x y  y')
    expect(interpolate('${UNSET:-${SET}}', vars)).toBe('x')
    expect(() => interpolate('${EMPTY:?needed}', vars)).toThrow(/EMPTY.*needed/)
    expect(interpolate('${EMPTY?needed}', vars)).toBe('')
    expect(() => interpolate('${UNSET?needed}', vars)).toThrow(/UNSET/)
  })
})
