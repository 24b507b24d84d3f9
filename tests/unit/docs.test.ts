import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The documentation holds together: the README stays short, every relative link and #anchor of
// README.md and docs/*.md resolves, what comments in src/ and tests/ cite exists in the
// repository, and the README's layout names the folders src/ has.
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')
const PAGES = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
]

/** Markdown without fenced code blocks and inline code, where links and headings are not. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '``')
}

/** GitHub's anchor for a heading: its text, lower-cased, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}_\- ]/gu, '')
    .replace(/ /g, '-')
}

const anchors = new Map<string, Set<string>>()
function anchorsOf(file: string): Set<string> {
  let known = anchors.get(file)
  if (!known) {
    known = new Set()
    const seen = new Map<string, number>()
    const text = readFileSync(file, 'utf8').replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
      const base = slug(m[1] as string)
      const n = seen.get(base) ?? 0
      seen.set(base, n + 1)
      known.add(n === 0 ? base : `${base}-${n}`)
    }
    anchors.set(file, known)
  }
  return known
}

/** Where a link or citation fails to resolve, or null when it does. */
function problem(from: string, target: string): string | null {
  const [pathPart = '', anchor] = target.split('#', 2) as [string, string | undefined]
  const file =
    pathPart === '' ? path.join(ROOT, from) : path.resolve(path.dirname(path.join(ROOT, from)), pathPart)
  if (!existsSync(file)) return `${from}: ${target}: no such file`
  if (anchor === undefined || anchor === '') return null
  if (statSync(file).isDirectory() || !file.endsWith('.md'))
    return `${from}: ${target}: an anchor into a file that is not Markdown`
  return anchorsOf(file).has(decodeURIComponent(anchor))
    ? null
    : `${from}: ${target}: no heading with that anchor`
}

describe('the README', () => {
  it('is at most 12 KB', () => {
    expect(Buffer.byteLength(read('README.md'))).toBeLessThanOrEqual(12 * 1024)
  })

  it('names every folder of src/ in its layout, and only folders that exist', () => {
    const readme = read('README.md')
    const layout = readme.slice(readme.indexOf('Layout:'))
    const folders = readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
    const named = (layout.match(/src\/[\w-]+\//g) ?? []).map((m) => m.slice(4, -1))
    expect(folders.filter((f) => !named.includes(f))).toEqual([])
    expect(named.filter((f) => !folders.includes(f))).toEqual([])
  })
})

describe('links of README.md and docs/', () => {
  it.each(PAGES)('every relative link and anchor of %s resolves', (page) => {
    const links = [...prose(read(page)).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(
      (m) => m[1] as string,
    )
    expect(links.length).toBeGreaterThan(0)
    const relative = links.filter((l) => !/^[a-z][a-z+.-]*:/i.test(l))
    expect(relative.map((l) => problem(page, l)).filter((p) => p !== null)).toEqual([])
  })

  it('finds a broken anchor (the check can fail)', () => {
    expect(problem('README.md', 'docs/deployment.md#no-such-heading')).toMatch(/no heading/)
    expect(problem('README.md', 'docs/no-such-page.md')).toMatch(/no such file/)
    expect(problem('docs/deployment.md', '#next-to-cvat')).toBeNull()
  })
})

describe('what comments cite', () => {
  const sources = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
      const rel = `${dir}/${d.name}`
      if (d.isDirectory()) return d.name === 'node_modules' ? [] : sources(rel)
      return /\.(ts|js|json)$/.test(d.name) ? [rel] : []
    })
  const files = [...sources('src'), ...sources('tests')].filter((f) => f !== 'tests/unit/docs.test.ts')

  it('is in the repository: docs/ pages and their sections', () => {
    const problems = files.flatMap((file) =>
      [...read(file).matchAll(/\bdocs\/[\w-]+\.md(?:#[\w-]+)?/g)].map((m) => problem('README.md', m[0])),
    )
    expect(problems.filter((p) => p !== null)).toEqual([])
  })

  it('never names a document outside the repository', () => {
    const outside = /spec \u00a7|shared\/spec|cvat-identity\.md|cvat-compat\.md/
    expect(files.filter((file) => outside.test(read(file)))).toEqual([])
  })
})
