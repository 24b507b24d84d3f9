import { existsSync, readFileSync, statSync } from 'node:fs'
import { chmod, cp, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Where another user can run the service from (`node --import tsx src/main.ts` there), or why not. */
export type RuntimeForOthers =
  | { readonly ok: true; readonly dir: string; readonly copied: boolean; remove(): Promise<void> }
  | { readonly ok: false; readonly reason: string }

/**
 * Tests that run the service as another user (root ignores permissions, so `nobody` stands for a
 * user whom a folder refuses) need a Node binary, sources and packages that user may read. A
 * clone in a private folder (a home directory, `mktemp -d`: mode 700) is not, so this copies
 * the minimal runtime (package.json, tsconfig.json, src/, the production packages and tsx;
 * not chDB's engine, which the service loads only when an embedded store opens) into a folder
 * under the system temp dir that others may read. Without root, or with a Node binary others may
 * not run, it gives the reason to skip.
 */
export async function runtimeForOthers(): Promise<RuntimeForOthers> {
  if (process.getuid?.() !== 0)
    return { ok: false, reason: 'needs root, to run the service as another user (uid 65534)' }
  const node = blockedFor(process.execPath, 'x')
  if (node !== null)
    return { ok: false, reason: `other users may not run the Node binary ${process.execPath} (${node})` }
  if (blockedFor(path.join(ROOT, 'node_modules', 'tsx', 'package.json'), 'r') === null)
    return { ok: true, dir: ROOT, copied: false, remove: () => Promise.resolve() }
  const temp = tmpdir()
  const tempBlocked = blockedFor(temp, 'x')
  if (tempBlocked !== null)
    return { ok: false, reason: `the checkout and the temp dir ${temp} are both private (${tempBlocked})` }

  const dir = await mkdtemp(path.join(temp, 'aa-runtime-'))
  try {
    for (const file of ['package.json', 'tsconfig.json', 'src'])
      await cp(path.join(ROOT, file), path.join(dir, file), { recursive: true })
    for (const pkg of packagesOf(['tsx', ...Object.keys(manifest(ROOT).dependencies ?? {})])) {
      const relative = path.relative(ROOT, pkg)
      await cp(pkg, path.join(dir, relative), { recursive: true, verbatimSymlinks: true })
    }
    await openToOthers(dir)
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
  return { ok: true, dir, copied: true, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** Null when user `nobody` may read (`r`) or run (`x`) the file and reach it; else what refuses. */
function blockedFor(file: string, need: 'r' | 'x'): string | null {
  const target = path.resolve(file)
  if (!existsSync(target)) return `${target} does not exist`
  const mode = statSync(target).mode
  if ((mode & (need === 'r' ? 0o004 : 0o001)) === 0) return `${target} is mode ${(mode & 0o777).toString(8)}`
  for (let at = path.dirname(target); ; at = path.dirname(at)) {
    const dirMode = statSync(at).mode
    if ((dirMode & 0o001) === 0) return `${at} is mode ${(dirMode & 0o777).toString(8)}`
    if (path.dirname(at) === at) return null
  }
}

interface Manifest {
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

const manifest = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest

/** The installed folder of `name` as Node finds it from `from` (nearest node_modules up). */
function packageDir(name: string, from: string): string | undefined {
  for (let at = from; ; at = path.dirname(at)) {
    const candidate = path.join(at, 'node_modules', name)
    if (existsSync(path.join(candidate, 'package.json'))) return candidate
    if (at === ROOT || path.dirname(at) === at) return undefined
  }
}

/** The folders of these packages and everything they depend on, outermost only (a folder holds its own node_modules). */
function packagesOf(roots: string[]): string[] {
  const found = new Set<string>()
  const visit = (name: string, from: string) => {
    // chDB's engine (hundreds of MB) is loaded only when an embedded store opens.
    if (name.startsWith('@chdb/')) return
    const dir = packageDir(name, from)
    if (dir === undefined || found.has(dir)) return
    found.add(dir)
    const m = manifest(dir)
    for (const dep of Object.keys({ ...m.dependencies, ...m.optionalDependencies, ...m.peerDependencies }))
      visit(dep, dir)
  }
  for (const name of roots) visit(name, ROOT)
  const all = [...found].sort()
  return all.filter((dir) => !all.some((other) => other !== dir && dir.startsWith(`${other}${path.sep}`)))
}

/** Folders 0755, files readable by all (and runnable where their owner may run them). */
async function openToOthers(dir: string): Promise<void> {
  await chmod(dir, 0o755)
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name)
    if (entry.isDirectory()) await chmod(file, 0o755)
    else if (entry.isFile()) {
      const mode = statSync(file).mode
      await chmod(file, mode & 0o100 ? 0o755 : 0o644)
    }
  }
}
