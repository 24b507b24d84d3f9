import { rm } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { createEngine, type Engine } from '../../src/store/engine.js'
import { tempDir } from '../support/app.js'

// The embedded engine binds parameters as session SETs in each statement's own call
// (src/store/session-params.ts): values must arrive exactly as bound parameters would, never
// reach another statement, and a statement must not wait for another connection's.
let dir: string
let engine: Engine
beforeAll(async () => {
  dir = await tempDir('aa-params-')
  engine = createEngine(loadConfig({ DATA_DIR: dir }).store)
})
afterAll(async () => {
  await engine.close()
  await rm(dir, { recursive: true, force: true })
})

const HOSTILE = [
  "it's",
  'back\\slash',
  'a\\',
  'new\nline\ttab\rcr',
  "'; SELECT 1; --",
  "\\'",
  '\\N',
  '',
  'nul\0byte',
  '{other:String}',
  'ünïcode ✓ 🎉',
  '%s $1 ?',
]

describe('parameters on the embedded engine', () => {
  it('arrive exactly: hostile strings, arrays of them, 64-bit numbers, null', async () => {
    for (const text of HOSTILE) {
      const [row] = await engine.rows<{ s: string; a: string[]; n: string; z: string | null; u: string }>({
        name: 'test.params',
        sql: 'SELECT {s:String} AS s, {a:Array(String)} AS a, {n:Int64} AS n, {z:Nullable(String)} AS z, {u:UInt64} AS u',
        params: {
          s: text,
          a: [text, 'x', text],
          n: '-9223372036854775808',
          z: null,
          u: 18446744073709551615n,
        },
      })
      expect(row, JSON.stringify(text)).toEqual({
        s: text,
        a: [text, 'x', text],
        n: '-9223372036854775808',
        z: null,
        u: '18446744073709551615',
      })
    }
  })

  it('never reach another statement, however many run at once on every connection', async () => {
    // Reads take turns on as few as one connection; the writer's and the background lane's
    // statements run beside them, so the values travel on three connections at once.
    await engine.command({
      name: 'test.crosstalk_table',
      sql: 'CREATE TABLE IF NOT EXISTS default.crosstalk (v String, i UInt32) ENGINE = Memory',
    })
    const value = (i: number) => `${i} ${HOSTILE[i % HOSTILE.length]}`
    const answers = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const statement = { sql: 'SELECT {v:String} AS v, {i:UInt32} AS i', params: { v: value(i), i } }
        if (i % 3 === 0) {
          const [row] = await engine.rows<{ v: string; i: string }>({ name: 'test.crosstalk', ...statement })
          return row?.v === value(i) && Number(row.i) === i
        }
        await engine.command({
          name: 'test.crosstalk_write',
          sql: `INSERT INTO default.crosstalk ${statement.sql}`,
          params: statement.params,
          ...(i % 3 === 1 ? { lane: 'background' as const } : {}),
        })
        return true
      }),
    )
    expect(answers.filter((ok) => !ok)).toHaveLength(0)
    const written = await engine.rows<{ v: string; i: number }>({
      name: 'test.crosstalk_written',
      sql: 'SELECT v, i FROM default.crosstalk ORDER BY i',
    })
    const expected = Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 3 !== 0)
    expect(written).toEqual(expected.map((i) => ({ v: value(i), i })))
  })

  it('lets a statement on another connection finish while a long read runs', async () => {
    await engine.command({
      name: 'test.probe_table',
      sql: 'CREATE TABLE IF NOT EXISTS default.probe (x String) ENGINE = Memory',
    })
    const finished: string[] = []
    const long = engine
      .rows({
        name: 'test.long',
        sql: 'SELECT sum(sleepEachRow(0.5)) AS n FROM numbers({n:UInt32}) SETTINGS max_block_size = 1',
        params: { n: 4 },
      })
      .then(() => finished.push('long'))
    // Called after the long read: bound through chdb-node's process-wide chain, it waited for it.
    await engine
      .command({
        name: 'test.short',
        sql: 'INSERT INTO default.probe SELECT {x:String}',
        params: { x: 'short' },
      })
      .then(() => finished.push('short'))
    await long
    expect(finished).toEqual(['short', 'long'])
  })

  it('runs a background read (the feed of the rollups) beside the reads requests wait on, not behind them', async () => {
    const finished: string[] = []
    // More long reads than there are readers (at most 3): every reader is taken.
    const longs = Array.from({ length: 4 }, () =>
      engine
        .rows({
          name: 'test.long',
          sql: 'SELECT sum(sleepEachRow(0.25)) AS n FROM numbers({n:UInt32}) SETTINGS max_block_size = 1',
          params: { n: 2 },
        })
        .then(() => finished.push('long')),
    )
    const [marker] = await engine.rows<{ b: string }>({
      name: 'test.feed_read',
      sql: 'SELECT {b:UInt32} AS b',
      params: { b: 7 },
      lane: 'background',
    })
    finished.push('background')
    await Promise.all(longs)
    expect(marker?.b).toBe(7)
    expect(finished[0]).toBe('background')
  })

  it('refuses a statement whose placeholder has no value, instead of reading a value left by another', async () => {
    await engine.rows({ name: 'test.leaves', sql: 'SELECT {left:String} AS x', params: { left: 'stale' } })
    await expect(engine.rows({ name: 'test.unbound', sql: 'SELECT {left:String} AS x' })).rejects.toThrow()
  })
})
