import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import type { Plugin } from 'graphql-yoga'
import { publicUrl } from './forwarded-prefix.js'

/** Where `npm run build` puts the frontend (vite.config.ts): dist/web beside dist/main.js. */
export const WEB_BUILD_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url))

export interface WebAppOptions {
  /** The built frontend: index.html, assets/ (content-hashed names), their .br and .gz twins. */
  readonly dir?: string
  /** Paths that are the API's, never a page (`/graphql`, `/api/…`, health, metrics). */
  readonly reserved: readonly string[]
}

type Bytes = Uint8Array<ArrayBuffer>

interface StaticFile {
  readonly body: Bytes
  readonly br: Bytes | undefined
  readonly gzip: Bytes | undefined
  readonly type: string
  readonly etag: string
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
}

/** Assets' names carry a content hash (vite), so a browser may keep them for a year unasked. */
const IMMUTABLE = 'public, max-age=31536000, immutable'
/** The page itself is asked for again each time (cheaply: ETag → 304), so a new build shows at once. */
const REVALIDATE = 'no-cache'

/**
 * The page's own rules: scripts, styles and connections of this origin only (the WebSocket of
 * live pages included), nothing framed elsewhere. uPlot and Preact style elements through the
 * CSSOM, which `style-src 'self'` allows.
 */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
}

/**
 * The browser frontend at `/`, from what the build left in `dir`: `/assets/*` with a year of
 * caching, the other files at the root for a day, and index.html, revalidated each time, for `/`
 * and for every page a browser navigates to (a GET for HTML of a path without a dot that is not
 * the API's: the pages' routes are the frontend's). Each file is read once at start, compressed
 * as the build left it (brotli, gzip) and answered by `Accept-Encoding`, with an ETag. Without a
 * build, `/` says how to make one; everything else passes on to the API.
 */
export function useWebApp(options: WebAppOptions): Plugin {
  const dir = options.dir ?? WEB_BUILD_DIR
  const files = loadFiles(dir)
  const index = files.get('/index.html')
  const reserved = options.reserved
  const prefixed = new Map<string, StaticFile>()
  /** index.html anchored (`<base href>`) where the browser reached the service: a proxy's prefix, or `/`. */
  const pageFor = (request: Request): StaticFile => {
    const base = new URL(publicUrl(request, '/')).pathname
    if (!index || base === '/') return index as StaticFile
    let page = prefixed.get(base)
    if (!page) {
      const html = Buffer.from(index.body)
        .toString('utf8')
        .replace(BASE_TAG, `<base href="${escapeAttribute(base)}" />`)
      page = fileOf(Buffer.from(html), '.html', true)
      if (prefixed.size >= MAX_PREFIXES) prefixed.clear()
      prefixed.set(base, page)
    }
    return page
  }
  return {
    onRequest(event) {
      const { request, url } = event
      if (request.method !== 'GET' && request.method !== 'HEAD') return
      const pathname = url.pathname
      if (reserved.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`))) return
      const file = files.get(pathname)
      if (file && pathname !== '/index.html') {
        const caching = pathname.startsWith('/assets/') ? IMMUTABLE : 'public, max-age=86400'
        event.endResponse(answer(request, file, { 'Cache-Control': caching }))
        return
      }
      if (pathname.startsWith('/assets/') || !isPageRequest(request, pathname)) return
      event.endResponse(
        index
          ? answer(request, pageFor(request), { 'Cache-Control': REVALIDATE, ...PAGE_HEADERS })
          : notBuilt(request.method),
      )
    },
  }
}

/** The page's anchor as the build writes it; the service writes a proxy's prefix into it. */
const BASE_TAG = '<base href="/" />'
/** Prefixes whose page is kept compressed (a proxy sends one; more would be a misconfiguration). */
const MAX_PREFIXES = 8

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
}

/** `/`, or a navigation: HTML asked for a path whose last segment has no dot (not a file). */
function isPageRequest(request: Request, pathname: string): boolean {
  if (pathname === '/' || pathname === '/index.html') return true
  const last = pathname.slice(pathname.lastIndexOf('/') + 1)
  return !last.includes('.') && (request.headers.get('accept') ?? '').includes('text/html')
}

function answer(request: Request, file: StaticFile, headers: Record<string, string>): Response {
  const common = { ETag: file.etag, Vary: 'Accept-Encoding', ...headers }
  if (matchesEtag(request.headers.get('if-none-match'), file.etag)) {
    return new Response(null, { status: 304, headers: common })
  }
  const accepted = acceptedEncodings(request.headers.get('accept-encoding'))
  const [encoding, body] =
    file.br && accepted.has('br')
      ? (['br', file.br] as const)
      : file.gzip && accepted.has('gzip')
        ? (['gzip', file.gzip] as const)
        : ([undefined, file.body] as const)
  return new Response(request.method === 'HEAD' ? null : body, {
    status: 200,
    headers: {
      'Content-Type': file.type,
      'Content-Length': String(body.byteLength),
      ...(encoding ? { 'Content-Encoding': encoding } : {}),
      ...common,
    },
  })
}

/** Codings the client takes (`q=0` refuses one). */
function acceptedEncodings(header: string | null): Set<string> {
  const accepted = new Set<string>()
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';')
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    if (name && (q === undefined || Number(q.slice(2)) > 0)) accepted.add(name)
  }
  return accepted
}

function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false
  return header.split(',').some((tag) => {
    const t = tag.trim()
    return t === '*' || t === etag || t === `W/${etag}`
  })
}

/** Every file of the build, by URL path (`/assets/index-Ab12.js`), with its compressed twins. */
function loadFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>()
  if (!existsSync(dir)) return files
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    // Twins are served in their file's stead; dot-files and whatever is under a dot-folder (the
    // build's stamp, a bundler's manifest) are not served.
    if (!entry.isFile() || /\.(br|gz)$/.test(entry.name)) continue
    const full = path.join(entry.parentPath, entry.name)
    const segments = path.relative(dir, full).split(path.sep)
    if (segments.some((segment) => segment.startsWith('.'))) continue
    const urlPath = `/${segments.join('/')}`
    const body = new Uint8Array(readFileSync(full))
    const twin = (ext: string) =>
      existsSync(`${full}${ext}`) ? new Uint8Array(readFileSync(`${full}${ext}`)) : undefined
    files.set(urlPath, {
      ...fileOf(body, path.extname(entry.name), false),
      br: twin('.br'),
      gzip: twin('.gz'),
    })
  }
  return files
}

/** A file's answer parts; `compress` compresses it here (once), for a page made at run time. */
function fileOf(content: Uint8Array, ext: string, compress: boolean): StaticFile {
  const body = new Uint8Array(content)
  return {
    body,
    br: compress ? new Uint8Array(brotliCompressSync(body)) : undefined,
    gzip: compress ? new Uint8Array(gzipSync(body)) : undefined,
    type: TYPES[ext.toLowerCase()] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
  }
}

/** What `/` says when the frontend was not built (a checkout started with tsx, say). */
function notBuilt(method: string): Response {
  const page =
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>annotation-analytics</title>' +
    '<body style="font-family: sans-serif; max-width: 40rem; margin: 4rem auto">' +
    '<h1>The web pages are not built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, ' +
    'which builds them) and reload. The API is at <a href="/graphql">/graphql</a>.</p></body></html>'
  return new Response(method === 'HEAD' ? null : page, {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}
