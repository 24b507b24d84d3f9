import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// Without REDIS_URL nothing of Redis is loaded: only src/live/redis-bus.ts imports the Redis
// libraries, and nothing imports that file but by a dynamic import taken when REDIS_URL is set.
const SRC = path.resolve(import.meta.dirname, '../../src')
const files = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ name: `src/${f}`, text: readFileSync(path.join(SRC, f), 'utf8') }))

describe('Redis stays unloaded without REDIS_URL', () => {
  it('imports the Redis libraries in one file only', () => {
    const importers = files.filter((f) => /from '(ioredis|@graphql-yoga\/redis-event-target)'/.test(f.text))
    expect(importers.map((f) => f.name)).toEqual(['src/live/redis-bus.ts'])
  })

  it('loads that file only with a dynamic import, behind the REDIS_URL check', () => {
    const statically = files.filter((f) =>
      /from '\.\/redis-bus\.js'|from '.*\/live\/redis-bus\.js'/.test(f.text),
    )
    expect(statically.map((f) => f.name)).toEqual([])
    const dynamically = files.filter((f) => f.text.includes("import('./redis-bus.js')"))
    expect(dynamically.map((f) => f.name)).toEqual(['src/live/start.ts'])
    expect(dynamically[0]?.text).toMatch(/config\.redisUrl\s*\?\s*await import\('\.\/redis-bus\.js'\)/)
  })
})
