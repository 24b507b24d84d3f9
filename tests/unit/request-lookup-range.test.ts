import { describe, expect, it } from 'vitest'
import { REQUEST_MARGIN_MS, requestLookupRange } from '../../src/store/productivity-read.js'

const HOUR = 3_600_000

describe("the range an import's or model run's own event is looked for in", () => {
  it('covers the margin either side, widened to whole hours (the trail rollup reads no partial hour)', () => {
    const from = Date.UTC(2026, 11, 1, 9, 17, 3, 250)
    const to = Date.UTC(2026, 11, 7, 13, 37, 21, 456)
    const range = requestLookupRange(from, to)
    expect(range).toEqual({ from: Date.UTC(2026, 10, 30, 9), to: Date.UTC(2026, 11, 8, 14) })
    expect(range.from % HOUR).toBe(0)
    expect(range.to % HOUR).toBe(0)
    expect(range.from).toBeLessThanOrEqual(from - REQUEST_MARGIN_MS)
    expect(range.to).toBeGreaterThanOrEqual(to + REQUEST_MARGIN_MS)
  })

  it('does not widen a range whose ends are whole hours already', () => {
    const from = Date.UTC(2026, 11, 1)
    const to = Date.UTC(2026, 11, 2)
    expect(requestLookupRange(from, to)).toEqual({
      from: from - REQUEST_MARGIN_MS,
      to: to + REQUEST_MARGIN_MS,
    })
  })
})
