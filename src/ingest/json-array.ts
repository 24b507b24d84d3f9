/**
 * The source text of each element of a JSON array, byte for byte (whitespace around elements
 * trimmed). `text` must be valid JSON whose top-level value is an array (the caller parsed it
 * already); the quarantine keeps an event exactly as it arrived, which re-serialising the parsed
 * value would not (`2.0` would become `2`, `\u00e9` would become `é`).
 */
export function arrayElementTexts(text: string): string[] {
  const elements: string[] = []
  let i = skipSpace(text, 0)
  if (text[i] !== '[') throw new Error('not a JSON array')
  i = skipSpace(text, i + 1)
  if (text[i] === ']') return elements
  for (;;) {
    const start = i
    i = valueEnd(text, i)
    elements.push(text.slice(start, i))
    i = skipSpace(text, i)
    if (text[i] === ']') return elements
    if (text[i] !== ',') throw new Error(`unexpected '${text[i] ?? 'end'}' at ${i}`)
    i = skipSpace(text, i + 1)
  }
}

function skipSpace(text: string, from: number): number {
  let i = from
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++
  return i
}

/** The index just after the JSON value starting at `from`. */
function valueEnd(text: string, from: number): number {
  let depth = 0
  let i = from
  for (; i < text.length; i++) {
    const ch = text[i]
    if (ch === '"') {
      i = stringEnd(text, i)
      if (depth === 0) return i + 1
    } else if (ch === '[' || ch === '{') {
      depth++
    } else if (ch === ']' || ch === '}') {
      if (depth === 0) return i // the end of the enclosing array: a scalar ended here
      depth--
      if (depth === 0) return i + 1
    } else if (depth === 0 && (ch === ',' || ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t')) {
      return i
    }
  }
  return i
}

/** The index of the closing quote of the string opening at `from`. */
function stringEnd(text: string, from: number): number {
  let i = from + 1
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
  return i
}
