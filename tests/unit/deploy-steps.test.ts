import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { readAccounts } from '../../src/auth/accounts-file.js'
import { ensureAdmin } from '../../src/auth/bootstrap.js'
import { hashToken } from '../../src/auth/tokens.js'
import { loadConfig } from '../../src/config.js'
import {
  environmentOf,
  loadComposeFile,
  mergeCompose,
  parseDotEnv,
  type Compose,
  type Service,
} from '../support/compose.js'

// The deployment steps of docs/deployment.md ("The stack", "Next to CVAT"), run in their order
// from a fresh checkout as a user would type them, with what Docker would do re-enacted (there is
// no Docker engine here): every `docker compose` command line reads its files with compose's
// interpolation rules (tests/support/compose.ts) and names services that exist; `up` starts the
// service's bootstrap (its configuration, the `admin` user) and Grafana only with its token;
// `exec … node dist/cli/admin.js …` runs the admin command against that container's accounts
// file; `docker build` needs the Dockerfile and its target. The comments of a step that tell the
// user to edit .env are done as told. CVAT's checkout beside this one is tests/fixtures/cvat.
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const PARENT = path.dirname(ROOT.replace(/\/$/, ''))
const CHECKOUTS: Record<string, string> = {
  [path.join(PARENT, 'annotation-analytics')]: ROOT.replace(/\/$/, ''),
  [path.join(PARENT, 'cvat')]: path.join(ROOT, 'tests/fixtures/cvat'),
}
const DOC = readFileSync(path.join(ROOT, 'docs/deployment.md'), 'utf8')

/** What a user puts in for the placeholders of the steps. */
const PLACEHOLDERS: Record<string, string> = {
  '<admin-password>': 'correct-horse-battery',
  '<your-email>': 'ops@cvat.example',
  '<grafana-login>': 'alice',
  '<cvat-user-id>': '42',
}
/** What the user sets where a step says to set the passwords: every XML metacharacter included. */
const PASSWORDS: Record<string, string> = {
  CLICKHOUSE_PASSWORD: 'click<house>&"pass',
  ANALYTICS_ADMIN_PASSWORD: 'admin&<pass>word',
  GRAFANA_ADMIN_PASSWORD: 'grafana<&>password',
}

/** The ```sh blocks under a heading (up to the next heading of any level). */
function blocksUnder(heading: string): string[] {
  const start = DOC.indexOf(`\n## ${heading}\n`)
  if (start < 0) throw new Error(`docs/deployment.md has no section "${heading}"`)
  const rest = DOC.slice(start + heading.length + 5)
  const section = rest.slice(0, rest.search(/^#{2,} /m) >>> 0)
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string)
}

let scratch: string
afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true })
})

class Walkthrough {
  cwd = ROOT.replace(/\/$/, '')
  readonly written = new Map<string, string>()
  readonly built = new Set<string>()
  readonly started = new Map<string, { project: string; ours: boolean; env: Record<string, string> }>()
  printed = ''
  readonly log: string[] = []

  constructor(private readonly dataRoot: string) {}

  /** A path as the user's shell sees it, on the disk of this test. */
  real(p: string): string {
    for (const [virtual, actual] of Object.entries(CHECKOUTS)) {
      if (p === virtual || p.startsWith(`${virtual}/`)) return actual + p.slice(virtual.length)
    }
    return p
  }

  exists(p: string): boolean {
    return this.written.has(p) || existsSync(this.real(p))
  }

  readText(p: string): string {
    return this.written.get(p) ?? readFileSync(this.real(p), 'utf8')
  }

  async run(block: string): Promise<void> {
    const lines = block.replace(/\\\n\s*/g, ' ').split('\n')
    for (const line of lines) {
      const { command, comment } = splitComment(line)
      this.log.push(line)
      for (const part of command.split('&&').map((p) => p.trim())) if (part) await this.command(part)
      if (comment) this.followComment(comment)
    }
  }

  private async command(text: string): Promise<void> {
    const unknown = /<[a-z-]+>/.exec(text.replace(/<[a-z-]+>/g, (m) => (m in PLACEHOLDERS ? '' : m)))
    if (unknown)
      throw new Error(`the step "${text}" has a placeholder this test has no value for: ${unknown[0]}`)
    const words = shellWords(text.replace(/<[a-z-]+>/g, (m) => PLACEHOLDERS[m] ?? m))
    const prefix: Record<string, string> = {}
    while (words[0] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) {
      const word = words.shift() as string
      const at = word.indexOf('=')
      prefix[word.slice(0, at)] = word.slice(at + 1)
    }
    const [program, ...args] = words
    if (program === 'cd') this.cwd = path.resolve(this.cwd, args[0] ?? '')
    else if (program === 'cp') this.copy(args)
    else if (program === 'docker' && args[0] === 'build') this.build(args.slice(1))
    else if (program === 'docker' && args[0] === 'compose') await this.compose(args.slice(1), prefix)
    else throw new Error(`the step "${text}" is not a command this walkthrough knows`)
    if (program === 'cd' && !this.exists(this.cwd)) throw new Error(`cd: ${this.cwd} does not exist`)
  }

  private copy([from = '', to = '']: string[]): void {
    const source = path.resolve(this.cwd, from)
    if (!this.exists(source)) throw new Error(`cp: ${from} does not exist in ${this.cwd}`)
    this.written.set(path.resolve(this.cwd, to), this.readText(source))
  }

  private build(args: string[]): void {
    const tag = valueOf(args, '-t')
    const target = valueOf(args, '--target')
    const context = args.at(-1) ?? '.'
    const dockerfile = this.readText(path.resolve(this.cwd, context, 'Dockerfile'))
    if (target && !new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${target}$`, 'im').test(dockerfile)) {
      throw new Error(`docker build: the Dockerfile has no target ${target}`)
    }
    if (tag) this.built.add(tag)
  }

  /** The compose project of a command line: its files, read and merged as compose does. */
  private project(
    args: string[],
    shell: Record<string, string>,
  ): { compose: Compose; rest: string[]; dir: string } {
    const files: string[] = []
    let i = 0
    while (args[i] === '-f') {
      files.push(path.resolve(this.cwd, args[i + 1] ?? ''))
      i += 2
    }
    if (files.length === 0) files.push(path.join(this.cwd, 'docker-compose.yml'))
    const dir = path.dirname(files[0] as string)
    const dotEnv = path.join(dir, '.env')
    const env = { ...(this.exists(dotEnv) ? parseDotEnv(this.readText(dotEnv), shell) : {}), ...shell }
    for (const file of files) if (!this.exists(file)) throw new Error(`compose: no file ${file}`)
    const compose = mergeCompose(files.map((file) => loadComposeFile(this.readText(file), env)))
    return { compose, rest: args.slice(i), dir }
  }

  private async compose(args: string[], shell: Record<string, string>): Promise<void> {
    const { compose, rest, dir } = this.project(args, shell)
    const project = (compose.name as string | undefined) ?? path.basename(dir)
    const [subcommand, ...more] = rest
    const names = more.filter((a) => !a.startsWith('-'))
    const service = (name: string): Service => {
      const found = compose.services[name]
      if (!found) throw new Error(`compose: project ${project} has no service ${name}`)
      return found
    }
    if (subcommand === 'up') {
      const selected = names.length > 0 ? names : Object.keys(compose.services)
      // Dependencies start first, as compose starts them.
      const order = [...new Set(selected.flatMap((name) => [...dependenciesOf(compose, name), name]))]
      for (const name of order) await this.start(project, name, service(name))
    } else if (subcommand === 'exec') {
      const [name = '', program, script, ...argv] = names.length > 0 ? more : []
      service(name)
      const container = this.started.get(`${project}/${name}`)
      if (!container) throw new Error(`compose exec: ${name} is not running (no \`up\` before)`)
      if (program !== 'node' || !script?.startsWith('dist/'))
        throw new Error(`compose exec: ${more.join(' ')}`)
      const source = path.join(ROOT, script.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'))
      if (!existsSync(source)) throw new Error(`compose exec: the image has no ${script}`)
      const result = spawnSync(process.execPath, ['--import', 'tsx', source, ...argv], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/root',
          ...container.env,
        },
        encoding: 'utf8',
      })
      if (result.status !== 0) throw new Error(`${more.join(' ')} failed: ${result.stderr}`)
      this.printed = result.stdout
    } else {
      throw new Error(`compose ${subcommand ?? ''} is not a step this walkthrough knows`)
    }
  }

  /** What starting a container does that the steps depend on. */
  private async start(project: string, name: string, service: Service): Promise<void> {
    const env = environmentOf(service)
    const ours =
      service.build?.context !== undefined || /^annotation-analytics(:|$)/.test(service.image ?? '')
    if (ours) {
      if (!service.build && !this.built.has(service.image ?? '')) {
        throw new Error(`compose up: the image ${service.image} of ${name} was not built by a step before`)
      }
      // The image's ENV (Dockerfile), DATA_DIR on the container's own volume.
      const dataDir = path.join(this.dataRoot, project, name)
      const containerEnv = {
        NODE_ENV: 'production',
        PORT: '8080',
        HOST: '0.0.0.0',
        ...env,
        DATA_DIR: dataDir,
      }
      const config = loadConfig(containerEnv)
      await ensureAdmin(config.accountsFile, config.adminPassword)
      this.started.set(`${project}/${name}`, { project, ours: true, env: containerEnv })
    } else if ('ANALYTICS_GRAFANA_TOKEN' in env) {
      const token = env.ANALYTICS_GRAFANA_TOKEN ?? ''
      if (token === '') throw new Error(`compose up: ${name} would exit: ANALYTICS_GRAFANA_TOKEN is empty`)
      const analytics = [...this.started.values()].find((c) => c.project === project && c.ours)
      if (!analytics) throw new Error(`compose up: ${name} starts before the service it reads`)
      const accounts = await readAccounts(loadConfig(analytics.env).accountsFile)
      const known = accounts.tokens.find((t) => t.hash === hashToken(token) && t.revokedAt === null)
      if (known?.kind !== 'grafana')
        throw new Error(`compose up: ${name}'s token is not a grafana token of the service`)
      this.started.set(`${project}/${name}`, { project, ours: false, env })
    } else {
      this.started.set(`${project}/${name}`, { project, ours: false, env })
    }
  }

  /** Does what a step's comment tells the user to do in .env. */
  private followComment(comment: string): void {
    const dotEnv = path.join(this.cwd, '.env')
    if (/set the (three |every )?passwords in \.env/.test(comment)) {
      let text = this.readText(dotEnv)
      for (const [name, value] of Object.entries(PASSWORDS)) {
        if (!new RegExp(`^${name}=$`, 'm').test(text)) throw new Error(`.env has no empty ${name} to set`)
        text = text.replace(new RegExp(`^${name}=$`, 'm'), `${name}=${value}`)
      }
      this.written.set(dotEnv, text)
    }
    const put = /put the printed token in \.env as ([A-Z_]+)/.exec(comment)
    if (put) {
      const token = /\baat_[A-Za-z0-9_-]{20,}/.exec(this.printed)?.[0]
      if (!token) throw new Error(`no token was printed: ${this.printed}`)
      const name = put[1] as string
      const text = this.readText(dotEnv)
      const line = `${name}=${token}`
      this.written.set(
        dotEnv,
        new RegExp(`^${name}=.*$`, 'm').test(text)
          ? text.replace(new RegExp(`^${name}=.*$`, 'm'), line)
          : `${text}\n${line}\n`,
      )
    }
  }
}

function dependenciesOf(compose: Compose, name: string): string[] {
  const depends = compose.services[name]?.depends_on
  const direct = Array.isArray(depends)
    ? (depends as string[])
    : Object.keys((depends as object | undefined) ?? {})
  return direct.flatMap((d) => [...dependenciesOf(compose, d), d])
}

function valueOf(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag)
  return at < 0 ? undefined : args[at + 1]
}

/** A line's command and its trailing comment (a # after a space, outside quotes). */
function splitComment(line: string): { command: string; comment: string } {
  let quote: string | null = null
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quote) {
      if (c === quote) quote = null
    } else if (c === '"' || c === "'") quote = c
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) {
      return { command: line.slice(0, i).trim(), comment: line.slice(i + 1).trim() }
    }
  }
  return { command: line.trim(), comment: '' }
}

/** A command line split into words as a POSIX shell would (quotes, no expansion). */
function shellWords(text: string): string[] {
  const words: string[] = []
  let word: string | null = null
  let quote: string | null = null
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = null
      else word = (word ?? '') + c
    } else if (c === '"' || c === "'") {
      quote = c
      word ??= ''
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word)
      word = null
    } else word = (word ?? '') + c
  }
  if (word !== null) words.push(word)
  return words
}

describe.each(['The stack', 'Next to CVAT'])('docs/deployment.md, "%s"', (heading) => {
  it('works in its order from a fresh checkout, every command naming what exists', async () => {
    scratch ??= await mkdtemp(path.join(tmpdir(), 'aa-deploy-steps-'))
    const blocks = blocksUnder(heading)
    expect(blocks.length).toBeGreaterThan(0)
    const walk = new Walkthrough(path.join(scratch, heading.replace(/\W+/g, '-')))
    for (const block of blocks) {
      try {
        await walk.run(block)
      } catch (error) {
        throw new Error(`${(error as Error).message}\nafter the steps:\n${walk.log.join('\n')}`, {
          cause: error,
        })
      }
    }
    // Every service the steps brought up that is ours has its admin, and Grafana (the stack) its token.
    expect([...walk.started.keys()].length).toBeGreaterThan(0)
    if (heading === 'The stack') {
      expect([...walk.started.keys()]).toEqual(
        expect.arrayContaining([
          'annotation-analytics/clickhouse',
          'annotation-analytics/analytics',
          'annotation-analytics/grafana',
        ]),
      )
      const analytics = walk.started.get('annotation-analytics/analytics')
      const accounts = await readAccounts(loadConfig(analytics?.env ?? {}).accountsFile)
      expect(accounts.users.map((u) => u.username)).toEqual(['admin', 'alice'])
    } else {
      expect([...walk.started.keys()]).toContain('cvat/analytics_api')
      expect(walk.printed).toMatch(/aat_/)
    }
  }, 120_000)
})
