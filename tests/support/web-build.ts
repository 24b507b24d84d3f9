import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BUILT = path.join(ROOT, 'dist/web/index.html')

/** The newest modification time under `dir` (files only). */
function newest(dir: string): number {
  let latest = 0
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs)
  }
  return latest
}

/**
 * Builds the web pages into dist/web (what `npm run build` does for them) unless a build newer
 * than their sources is there: the service serves what it finds there when it is built.
 */
export async function ensureWebBuild(): Promise<void> {
  const sources = Math.max(
    newest(path.join(ROOT, 'web')),
    statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs,
  )
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= sources) return
  const { build } = await import('vite')
  await build({
    configFile: path.join(ROOT, 'vite.config.ts'),
    root: path.join(ROOT, 'web'),
    logLevel: 'warn',
  })
}
