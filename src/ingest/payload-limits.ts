/**
 * The limits every event payload is held to before anything else touches it (request stamping,
 * `JSON.stringify`, the store), whatever path it came by: a client batch, server events, the
 * CVAT-logger listener. Serialising JSON is recursive, so a payload nested thousands of levels deep
 * would overflow the stack wherever it is next written out; these checks are iterative.
 */

/** Deepest nesting of objects and arrays a payload may have (CVAT's payloads use fewer than 6). */
export const MAX_PAYLOAD_DEPTH = 32

/** Longest payload, in characters of its JSON text (a stack trace with its context fits many times). */
export const MAX_PAYLOAD_CHARS = 256 * 1024

/**
 * Why a payload (JSON text, or the value it parsed to) may not be stored, or undefined when it may.
 * Checks size and nesting without recursion and without serialising it, so it is safe on any input.
 */
export function payloadProblem(value: unknown): string | undefined {
  if (typeof value === 'string') {
    if (value.length > MAX_PAYLOAD_CHARS) return `must be at most ${MAX_PAYLOAD_CHARS} characters of JSON`
    if (!value.isWellFormed()) return 'must be valid Unicode text (it holds a lone surrogate)'
    const depth = textDepth(value, MAX_PAYLOAD_DEPTH)
    return depth > MAX_PAYLOAD_DEPTH ? tooDeep() : undefined
  }
  return valueProblem(value)
}

/** Whether stored JSON text is nested deeper than a payload may be (rows of older versions or other writers). */
export function isTooDeep(text: string): boolean {
  return textDepth(text, MAX_PAYLOAD_DEPTH) > MAX_PAYLOAD_DEPTH
}

const tooDeep = () => `must be nested at most ${MAX_PAYLOAD_DEPTH} levels deep`

/**
 * The nesting depth of JSON text, counting brackets outside string literals; stops counting once
 * past `stopAfter`. Malformed text gets some number; the parser that follows reports it.
 */
function textDepth(text: string, stopAfter: number): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // a backslash escapes the next character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      depth++
      if (depth > max) max = depth
      if (max > stopAfter) return max
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return max
}

/** The same limits over a parsed value (a payload sent as an object), walked with a stack of its own. */
function valueProblem(root: unknown): string | undefined {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }]
  // An estimate of the JSON text's length, counted as the walk goes; it only needs to grow with it.
  let chars = 0
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number }
    if (typeof value === 'string') {
      chars += value.length + 2
      if (!value.isWellFormed()) return 'must be valid Unicode text (it holds a lone surrogate)'
    } else if (value !== null && typeof value === 'object') {
      if (depth + 1 > MAX_PAYLOAD_DEPTH) return tooDeep()
      chars += 2
      const entries = Array.isArray(value) ? value : Object.entries(value)
      for (const entry of entries) {
        if (Array.isArray(value)) stack.push({ value: entry, depth: depth + 1 })
        else {
          const [key, child] = entry as [string, unknown]
          if (!key.isWellFormed()) return 'must be valid Unicode text (it holds a lone surrogate)'
          chars += key.length + 3
          stack.push({ value: child, depth: depth + 1 })
        }
        chars += 1
        if (chars > MAX_PAYLOAD_CHARS) break
      }
    } else {
      chars += String(value).length
    }
    if (chars > MAX_PAYLOAD_CHARS) return `must be at most ${MAX_PAYLOAD_CHARS} characters of JSON`
  }
  return undefined
}
