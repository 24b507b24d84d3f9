import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** Where a build of the web pages records what it was built from (in dist/web, not served). */
export const SOURCES_STAMP = '.sources'

/**
 * A digest of everything the web pages are built from (web/ and the build's config), by content:
 * a build is current when its stamp holds this digest, however the files' times moved (codegen
 * rewrites web/src/gql with the same text, a checkout sets new times).
 */
export function webSourcesDigest(root: string): string {
  const hash = createHash('sha256')
  const files = [
    path.join(root, 'vite.config.ts'),
    ...readdirSync(path.join(root, 'web'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name)),
  ].sort()
  for (const file of files) {
    hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0')
  }
  return hash.digest('hex')
}
