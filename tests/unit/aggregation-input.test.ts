import { describe, expect, it } from 'vitest'
import { DEFAULT_WINDOW_MS, parseInterval, withRange } from '../../src/domain/aggregation-input.js'
import { bucketStarts } from '../../src/domain/time-buckets.js'

describe('parseInterval', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['250ms', 250],
    ['60000', 60_000],
    ['1.5h', 5_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseInterval(text)).toBe(ms)
  })

  it.each(['', '0', 'soon', '-5m', '5 minutes', '1y'])('rejects %j naming the argument', (text) => {
    expect(() => parseInterval(text)).toThrow(/interval/)
  })
})

describe('withRange', () => {
  it('defaults to the week before now', () => {
    expect(withRange({}, 1_000_000_000_000).range).toEqual({
      from: 1_000_000_000_000 - DEFAULT_WINDOW_MS,
      to: 1_000_000_000_000,
    })
  })

  it('keeps given bounds', () => {
    expect(withRange({ from: 5, to: 10 }, 99).range).toEqual({ from: 5, to: 10 })
  })
})

describe('bucketStarts', () => {
  it('aligns buckets to the epoch and covers both ends', () => {
    expect(bucketStarts({ from: 61_000, to: 179_000 }, 60_000)).toEqual([60_000, 120_000])
    expect(bucketStarts({ from: 60_000, to: 180_000 }, 60_000)).toEqual([60_000, 120_000, 180_000])
  })
})
