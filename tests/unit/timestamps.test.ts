import { describe, expect, it } from 'vitest'
import { formatTimestamp, parseInstant, parseTimestamp } from '../../src/ingest/timestamps.js'

const T = Date.UTC(2024, 4, 22, 16, 0, 0, 123)

describe('parseInstant (a client clock, corrected later)', () => {
  it.each([
    ['1970, a reset clock', '1970-01-01T00:00:09Z', 9_000],
    ['1999', '1999-12-31T23:59:59Z', Date.UTC(1999, 11, 31, 23, 59, 59)],
    ['a year below 100, not read as 19xx', '0050-03-01T00:00:00', Date.parse('0050-03-01T00:00:00Z')],
    ['a year below 100 off the fast path', '0050-03-01 00:00:00+01:00', Date.parse('0050-02-28T23:00:00Z')],
    ['epoch seconds as a number (ms in 1970)', 1716393600, 1716393600],
  ])('reads %s', (_name, input, expected) => {
    expect(parseInstant(input)).toBe(expected)
  })

  it.each([
    ['past what a Date holds', 9e15],
    ['a February 30 of year 4', '0004-02-30T00:00:00 '],
    ['garbage', 'yesterday'],
  ])('refuses %s', (_name, input) => {
    expect(parseInstant(input)).toBeUndefined()
  })
})

describe('parseTimestamp', () => {
  it.each([
    ['ISO with Z', '2024-05-22T16:00:00.123Z', T],
    ['ISO with microseconds', '2024-05-22T16:00:00.123456Z', T],
    ['ISO without zone (UTC)', '2024-05-22T16:00:00.123', T],
    ['ISO with a space', '2024-05-22 16:00:00.123', T],
    ['ISO with an offset', '2024-05-22T18:30:00.123+02:30', T],
    ['ISO with a negative compact offset', '2024-05-22T11:00:00.123-0500', T],
    ['ISO date only', '2024-05-22', Date.UTC(2024, 4, 22)],
    ['epoch milliseconds', T, T],
    ['CVAT epoch seconds string', '1716393600.123456', Date.UTC(2024, 4, 22, 16, 0, 0, 123)],
    ['epoch seconds without fraction', '1716393600', Date.UTC(2024, 4, 22, 16)],
  ])('reads %s', (_name, input, expected) => {
    expect(parseTimestamp(input)).toBe(expected)
  })

  it('keeps epoch-seconds fractions exact (no float rounding)', () => {
    expect(parseTimestamp('1716393600.1')).toBe(1716393600100)
    expect(parseTimestamp('1716393600.999999')).toBe(1716393600999)
  })

  it.each([
    ['epoch seconds sent as a number (1970)', 1716393600],
    ['garbage', 'yesterday'],
    ['a month 13', '2024-13-01T00:00:00Z'],
    ['February 30', '2024-02-30T00:00:00Z'],
    ['hour 24', '2024-05-22T24:00:00Z'],
    ['before 2000', '1999-12-31T23:59:59Z'],
    ['after 2099', '2100-01-01T00:00:00Z'],
    ['NaN', Number.NaN],
    ['an object', { t: 1 }],
    ['null', null],
  ])('rejects %s', (_name, input) => {
    expect(parseTimestamp(input)).toBeUndefined()
  })

  it('formats as ISO-8601 UTC with milliseconds', () => {
    expect(formatTimestamp(T)).toBe('2024-05-22T16:00:00.123Z')
  })
})

describe('formatTimestamp', () => {
  it('matches toISOString across minutes, seconds and milliseconds', () => {
    for (const ms of [
      0,
      59_999,
      60_000,
      T,
      T + 1,
      T + 59_000,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2099, 11, 31, 23, 59, 59, 1),
    ]) {
      expect(formatTimestamp(ms)).toBe(new Date(ms).toISOString())
    }
  })

  it('matches toISOString for series revisiting the same minutes, past the bound of remembered minutes', () => {
    const starts = Array.from({ length: 30_000 }, (_, i) => T + i * 3_600_000 + (i % 1000))
    for (let pass = 0; pass < 2; pass++)
      for (const ms of starts) expect(formatTimestamp(ms)).toBe(new Date(ms).toISOString())
    expect(formatTimestamp(-1)).toBe(new Date(-1).toISOString())
  })
})

describe('parseTimestamp fast path', () => {
  it('agrees with the full parser on canonical times and still rejects impossible days', () => {
    expect(parseTimestamp('2024-02-29T10:00:00.000Z')).toBe(Date.UTC(2024, 1, 29, 10))
    expect(parseTimestamp('2023-02-29T10:00:00.000Z')).toBeUndefined()
    expect(parseTimestamp('2024-04-31T10:00:00.000Z')).toBeUndefined()
    expect(parseTimestamp('2024-01-31T24:00:00.000Z')).toBeUndefined()
    expect(parseTimestamp('2024-01-10T10:00:00Z')).toBe(Date.UTC(2024, 0, 10, 10))
  })
})
