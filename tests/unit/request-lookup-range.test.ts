import { describe, expect, it } from 'vitest'
import { chooseSegments } from '../../src/store/rollups/choose.js'
import { ROLLUPS } from '../../src/store/rollups/catalog.js'
import { REQUEST_MARGIN_MS, requestLookupRange } from '../../src/store/productivity-read.js'
import { FUNCTION_SCOPE, IMPORT_SCOPE } from '../../src/domain/scopes.js'

const HOUR = 3_600_000

describe("the range an import's or model run's own event is looked for in", () => {
  it('covers the margin either side, widened to whole hours (`to` inclusive)', () => {
    const from = Date.UTC(2026, 11, 1, 9, 17, 3, 250)
    const to = Date.UTC(2026, 11, 7, 13, 37, 21, 456)
    const range = requestLookupRange(from, to)
    expect(range).toEqual({ from: Date.UTC(2026, 10, 30, 9), to: Date.UTC(2026, 11, 8, 14) - 1 })
    expect(range.from % HOUR).toBe(0)
    expect((range.to + 1) % HOUR).toBe(0)
    expect(range.from).toBeLessThanOrEqual(from - REQUEST_MARGIN_MS)
    expect(range.to).toBeGreaterThanOrEqual(to + REQUEST_MARGIN_MS)
  })

  it('does not widen a range whose ends are whole hours already', () => {
    const from = Date.UTC(2026, 11, 1)
    const to = Date.UTC(2026, 11, 2)
    expect(requestLookupRange(from, to)).toEqual({
      from: from - REQUEST_MARGIN_MS,
      to: to + REQUEST_MARGIN_MS - 1,
    })
  })

  it('is read from the trail rollup alone, no part of it from the raw table', () => {
    const range = requestLookupRange(
      Date.UTC(2026, 11, 1, 9, 17, 3, 250),
      Date.UTC(2026, 11, 7, 13, 37, 21, 456),
    )
    const segments = chooseSegments(
      {
        filter: { ...range, scopes: [IMPORT_SCOPE, FUNCTION_SCOPE] },
        dims: ['scope', 'request_id'],
        measures: [],
      },
      ROLLUPS,
    )
    expect(segments.map((s) => s.rollup?.name ?? 'raw')).toEqual(['trail_1h'])
  })
})
