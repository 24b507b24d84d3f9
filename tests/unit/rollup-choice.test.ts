import { describe, expect, it } from 'vitest'
import { ROLLUPS, type RollupDef } from '../../src/store/rollups/catalog.js'
import { chooseSegments, type CubeNeeds } from '../../src/store/rollups/choose.js'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const T = Date.UTC(2024, 0, 10)

const plan = (needs: CubeNeeds, available: readonly RollupDef[] = ROLLUPS) =>
  chooseSegments(needs, available).map((s) => [s.rollup?.name ?? 'raw', s.from ?? '-∞', s.to ?? '+∞'])

const counts: Pick<CubeNeeds, 'dims' | 'measures'> = { dims: ['user_id'], measures: ['n'] }
const everything: Pick<CubeNeeds, 'dims' | 'measures'> = {
  dims: ['user_id', 'job_id', 'scope', 'source'],
  measures: ['n', 'dur_sum'],
}

describe('chooseSegments', () => {
  it('reads whole days from the daily rollup, whole hours at its edges, the raw table for the rest', () => {
    const from = T + 3 * HOUR + 12_345
    const to = T + 2 * DAY + 5 * HOUR + 999
    expect(plan({ filter: { from, to }, ...everything })).toEqual([
      ['raw', from, T + 4 * HOUR],
      ['all_1h', T + 4 * HOUR, T + DAY],
      ['all_1d', T + DAY, T + 2 * DAY],
      ['all_1h', T + 2 * DAY, T + 2 * DAY + 5 * HOUR],
      ['raw', T + 2 * DAY + 5 * HOUR, to + 1],
    ])
  })

  it('covers the range exactly: to is inclusive, so a range ending a millisecond before a cell keeps that cell whole', () => {
    expect(plan({ filter: { from: T, to: T + DAY - 1 }, ...everything })).toEqual([['all_1d', T, T + DAY]])
    expect(plan({ filter: { from: T, to: T + DAY }, ...everything })).toEqual([
      ['all_1d', T, T + DAY],
      ['raw', T + DAY, T + DAY + 1],
    ])
  })

  it('uses only rollups whose cell divides the interval', () => {
    const filter = { from: T, to: T + DAY - 1 }
    expect(plan({ filter, ...counts, intervalMs: 15 * MIN })).toEqual([['users_5m', T, T + DAY]])
    // At equal cells the rollup of fewer dimensions: users by hour, unless more than users is read.
    expect(plan({ filter, ...counts, intervalMs: HOUR })).toEqual([['users_1h', T, T + DAY]])
    expect(plan({ filter, ...everything, intervalMs: HOUR })).toEqual([['all_1h', T, T + DAY]])
    expect(plan({ filter, ...counts, intervalMs: MIN })).toEqual([['raw', T, T + DAY]])
    expect(plan({ filter, ...counts, intervalMs: 7 * MIN })).toEqual([['raw', T, T + DAY]])
  })

  it('falls back to the raw table for what no rollup keeps', () => {
    const filter = { from: T, to: T + DAY - 1 }
    expect(plan({ filter: { ...filter, objNames: ['label'] }, ...counts })).toEqual([['raw', T, T + DAY]])
    // The 5-minute rollup keeps users only: a scope filter needs the hourly one.
    expect(
      plan({ filter: { ...filter, scopes: ['send:exception'] }, ...counts, intervalMs: 15 * MIN }),
    ).toEqual([['raw', T, T + DAY]])
    expect(plan({ filter, dims: ['browser'], measures: ['n'] })).toEqual([['raw', T, T + DAY]])
    expect(plan({ filter, ...everything }, [])).toEqual([['raw', T, T + DAY]])
  })

  it('empty lists constrain nothing; hasJob needs the job dimension', () => {
    const filter = { from: T, to: T + DAY - 1, scopes: [], userIds: [] }
    expect(plan({ filter, ...counts, intervalMs: 5 * MIN })).toEqual([['users_5m', T, T + DAY]])
    expect(plan({ filter: { ...filter, hasJob: false }, ...counts, intervalMs: 5 * MIN })).toEqual([
      ['raw', T, T + DAY],
    ])
    expect(plan({ filter: { ...filter, hasJob: false }, ...counts })).toEqual([['all_1d', T, T + DAY]])
  })

  it('answers platforms from their rollup only when the filter keeps to load:cvat', () => {
    const filter = { from: T, to: T + DAY - 1 }
    const needs = { dims: ['user_id', 'browser', 'os'], measures: [] } as const
    expect(plan({ filter: { ...filter, scopes: ['load:cvat'] }, ...needs })).toEqual([
      ['platforms_1d', T, T + DAY],
    ])
    expect(plan({ filter: { ...filter, scopes: ['load:cvat', 'save:job'] }, ...needs })).toEqual([
      ['raw', T, T + DAY],
    ])
    // With only load:cvat, the narrow table is preferred over the general one of the same grain.
    expect(
      plan({ filter: { ...filter, scopes: ['load:cvat'] }, dims: ['user_id'], measures: ['n'] }),
    ).toEqual([['platforms_1d', T, T + DAY]])
  })

  it('reads all time from the coarsest rollup, and outside its dates from the raw table', () => {
    expect(plan({ filter: {}, ...everything })).toEqual([
      ['raw', '-∞', 0],
      ['all_1d', 0, 2 ** 32 * 1000],
      ['raw', 2 ** 32 * 1000, '+∞'],
    ])
    expect(plan({ filter: { to: T + 90 * MIN }, ...everything })).toEqual([
      ['raw', '-∞', 0],
      ['all_1d', 0, T],
      ['all_1h', T, T + HOUR],
      ['raw', T + HOUR, T + 90 * MIN + 1],
    ])
  })

  it('reads a range shorter than any cell from the raw table', () => {
    expect(plan({ filter: { from: T + 10_000, to: T + 250_000 }, ...counts })).toEqual([
      ['raw', T + 10_000, T + 250_001],
    ])
  })
})
