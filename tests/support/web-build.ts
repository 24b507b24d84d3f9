import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { SOURCES_STAMP, webSourcesDigest } from '../../scripts/web-sources.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const STAMP = path.join(ROOT, 'dist/web', SOURCES_STAMP)

/**
 * Builds the web pages into dist/web (what `npm run build` does for them) unless the build there
 * was made from the sources as they are (its stamp): the service serves what it finds there when
 * it is built. CI builds first, so its two parallel test runs find a current build and leave it be.
 */
export async function ensureWebBuild(): Promise<void> {
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === webSourcesDigest(ROOT)) return
  const { build } = await import('vite')
  await build({
    configFile: path.join(ROOT, 'vite.config.ts'),
    root: path.join(ROOT, 'web'),
    logLevel: 'warn',
  })
}
