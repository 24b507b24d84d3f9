import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_OFFSET_MINUTES, parseTimestamp, timeOffsetProblem } from '../../src/ingest/timestamps.js'

const pad = (n: number) => String(n).padStart(2, '0')

/** A local time of 2000–2099 and a UTC offset of any two-digit hours and minutes, in every spelling. */
const timeWithOffset = fc.record({
  local: fc.date({
    min: new Date(Date.UTC(2000, 0, 2)),
    max: new Date(Date.UTC(2099, 11, 30)),
    noInvalidDate: true,
  }),
  sign: fc.constantFrom('+', '-'),
  hours: fc.integer({ min: 0, max: 99 }),
  minutes: fc.integer({ min: 0, max: 99 }),
  colon: fc.boolean(),
  withMillis: fc.boolean(),
})

type TimeWithOffset = typeof timeWithOffset extends fc.Arbitrary<infer T> ? T : never

function spelled(t: TimeWithOffset): string {
  const iso = t.local.toISOString()
  const local = t.withMillis ? iso.slice(0, 23) : iso.slice(0, 19)
  return `${local}${t.sign}${pad(t.hours)}${t.colon ? ':' : ''}${pad(t.minutes)}`
}

describe('UTC offsets of ISO-8601 times', () => {
  it('accepts exactly the offsets of real time zones (±14:00, minutes below 60) and applies them', () => {
    fc.assert(
      fc.property(timeWithOffset, (t) => {
        const text = spelled(t)
        const total = t.hours * 60 + t.minutes
        const valid = t.minutes < 60 && total <= MAX_OFFSET_MINUTES
        const parsed = parseTimestamp(text)
        if (!valid) {
          expect(parsed, text).toBeUndefined()
          expect(timeOffsetProblem(text), text).toMatch(/offset .* is not one/)
          return
        }
        const localMs = Date.parse(`${text.slice(0, t.withMillis ? 23 : 19)}Z`)
        expect(parsed, text).toBe(localMs - (t.sign === '-' ? -1 : 1) * total * 60_000)
        expect(timeOffsetProblem(text), text).toBeUndefined()
      }),
      { numRuns: 2_000 },
    )
  })

  it.each([
    ['+99:99', '2026-12-06T10:00:00+99:99'],
    ['+14:01', '2026-12-06T10:00:00+14:01'],
    ['-1430', '2026-12-06T10:00:00-1430'],
    ['+05:60', '2026-12-06T10:00:00.000+05:60'],
  ])('refuses %s, naming the offset', (zone, text) => {
    expect(parseTimestamp(text)).toBeUndefined()
    expect(timeOffsetProblem(text)).toContain(zone)
  })

  it.each(['+14:00', '-14:00', '-12:00', '+05:45', '+00:00', '-0000'])('accepts %s', (zone) => {
    expect(parseTimestamp(`2026-12-06T10:00:00${zone}`)).toBeTypeOf('number')
  })

  it('names no offset problem for times that fail for other reasons', () => {
    for (const text of ['2024-02-30', '2024-02-30T00:00:00Z', 'yesterday', '1999-12-31T23:59:59+01:00']) {
      expect(timeOffsetProblem(text), text).toBeUndefined()
    }
  })
})
