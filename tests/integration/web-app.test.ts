import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WEB_BUILD_DIR } from '../../src/pipeline/web-app.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { ensureWebBuild } from '../support/web-build.js'

/** The first page's JavaScript, gzipped, may weigh this much at most (the budget). */
const FIRST_PAGE_JS_BUDGET = 200 * 1024

let t: TestApp
let script: string
beforeAll(async () => {
  await ensureWebBuild()
  t = await startTestApp({ TRUST_PROXY: 'true' })
  const index = readFileSync(path.join(WEB_BUILD_DIR, 'index.html'), 'utf8')
  script = /src="\.(\/assets\/[^"]+\.js)"/.exec(index)?.[1] ?? ''
}, 120_000)
afterAll(async () => {
  await t?.stop()
})

describe('the web pages as the service serves them', () => {
  it('serves the page at / uncached, with its own content security policy', async () => {
    const res = await t.request('GET', '/', { headers: { accept: 'text/html' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await res.text()
    expect(html).toContain('<base href="/" />')
    expect(html).not.toMatch(/https?:\/\//) // nothing from the network
    const etag = res.headers.get('etag') ?? ''
    const again = await t.request('GET', '/', { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
  })

  it('serves assets with content hashes for a year, brotli or gzip as the browser takes them', async () => {
    expect(script).toMatch(/^\/assets\/index-[\w-]+\.js$/)
    const br = await t.request('GET', script, { headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(br.status).toBe(200)
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('vary')).toBe('Accept-Encoding')
    const gz = await t.request('GET', script, { headers: { 'accept-encoding': 'gzip, br;q=0' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    const plain = await t.request('GET', script)
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    const head = await t.request('HEAD', script)
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('keeps the first page’s JavaScript within 200 KB gzipped', () => {
    const js = readFileSync(path.join(WEB_BUILD_DIR, script))
    const size = gzipSync(js, { level: 9 }).byteLength
    console.log(`first page JavaScript: ${js.byteLength} bytes, ${size} gzipped`)
    expect(size).toBeLessThanOrEqual(FIRST_PAGE_JS_BUDGET)
  })

  it('serves no dot-file of the build (its sources’ stamp)', async () => {
    const stamp = readFileSync(path.join(WEB_BUILD_DIR, '.sources'), 'utf8').trim()
    expect(stamp).not.toBe('')
    for (const accept of ['*/*', 'text/html']) {
      const res = await t.request('GET', '/.sources', { headers: { accept } })
      expect(res.status).toBe(404)
      expect(await res.text()).not.toContain(stamp)
    }
  })

  it('answers a navigation to any page with the page, and leaves the API’s paths to the API', async () => {
    const page = await t.request('GET', '/monitoring?org=acme', { headers: { accept: 'text/html,*/*' } })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    // Not a browser navigation, or not a page: the API's JSON 404.
    for (const [pathname, accept] of [
      ['/monitoring', 'application/json'],
      ['/assets/nothing.js', 'text/html'],
      ['/api/nothing', 'text/html'],
    ] as const) {
      const res = await t.request('GET', pathname, { headers: { accept } })
      expect(res.status, pathname).toBe(404)
      expect(res.headers.get('content-type'), pathname).toContain('application/json')
    }
    const graphql = await t.request('GET', '/graphql', { headers: { accept: 'text/html' } })
    expect(await graphql.text()).toContain('GraphiQL')
  })

  it('anchors the page at the prefix a proxy serves it under', async () => {
    const res = await t.request('GET', '/', {
      headers: { accept: 'text/html', 'x-forwarded-prefix': '/analytics', 'accept-encoding': 'gzip' },
    })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    const html = gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8')
    expect(html).toContain('<base href="/analytics/" />')
  })

  it('keeps the session key in DATA_DIR, readable by the service only', async () => {
    const file = path.join(t.dir, 'session.key')
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })
})
