import { describe, expect, it } from 'vitest'
import { arrayElementTexts } from '../../src/ingest/json-array.js'

describe('arrayElementTexts (raw event texts for the quarantine)', () => {
  it('cuts each element out byte for byte, whatever its strings hold', () => {
    const elements = [
      '{"scope": "a:b", "payload": "{\\"x\\": [1, 2.0], \\"y\\": \\"]},\\"}"}',
      '42',
      '-1.50e+3',
      'true',
      'null',
      '"a \\"quoted\\" ] } , string"',
      '[1, [2, {"k": "v"}], []]',
      '{}',
      '{"é": "\\u00e9 😀"}',
    ]
    const text = ` [\n  ${elements.join(' ,\r\n\t')}  \n] `
    const cut = arrayElementTexts(text)
    expect(cut).toEqual(elements)
    expect(cut.map((e) => JSON.parse(e) as unknown)).toEqual(JSON.parse(text))
  })

  it('returns nothing for an empty array and refuses what is not an array', () => {
    expect(arrayElementTexts(' [ ] ')).toEqual([])
    expect(() => arrayElementTexts('{"a": 1}')).toThrow()
  })
})
