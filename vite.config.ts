import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import { defineConfig, type Plugin } from 'vite'
import { SOURCES_STAMP, webSourcesDigest } from './scripts/web-sources.js'

const brotli = promisify(brotliCompress)
const gz = promisify(gzip)

/** Text assets worth compressing; images other than SVG are compressed already. */
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt|map)$/

/**
 * Writes `name.br` and `name.gz` beside every text asset once the bundle is on disk, so the
 * service answers compressed files without compressing per request (src/pipeline/web-app.ts).
 */
function precompress(): Plugin {
  let outDir = ''
  let projectRoot = ''
  return {
    name: 'annotation-analytics:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir)
      projectRoot = path.dirname(config.root)
    },
    async closeBundle() {
      const files = await readdir(outDir, { recursive: true, withFileTypes: true })
      await Promise.all(
        files
          .filter((entry) => entry.isFile() && COMPRESSIBLE.test(entry.name))
          .map(async (entry) => {
            const file = path.join(entry.parentPath, entry.name)
            const body = await readFile(file)
            const [br, gzipped] = await Promise.all([
              brotli(body, {
                params: {
                  [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
                  [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
                },
              }),
              gz(body, { level: 9 }),
            ])
            await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gzipped)])
          }),
      )
      // What this build was made from, so a test can tell whether it is current (tests/support/web-build.ts).
      await writeFile(path.join(outDir, SOURCES_STAMP), webSourcesDigest(projectRoot))
    },
  }
}

// The browser frontend (web/): Preact pages built into dist/web, which the service serves at `/`.
// File names carry content hashes, so the service caches them forever (index.html: never).
export default defineConfig({
  root: 'web',
  // Relative: the page's <base href> (the service writes a proxy's prefix into it) anchors every asset.
  base: './',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 250,
  },
  plugins: [precompress()],
})
