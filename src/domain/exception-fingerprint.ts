import { createHash } from 'node:crypto'
import { EXCEPTION_SCOPE } from './scopes.js'

/**
 * What groups exceptions: the same error thrown at the same place is one group, whatever ids,
 * numbers and URLs its message carries, as Sentry groups them. The group id is a hash of
 *
 *   normalised message + top frame's function + top frame's file (basename, normalised),
 *
 * where the top frame is the innermost one: the first frame of a JavaScript stack (V8, Gecko,
 * WebKit), the last `File "…", line …, in …` line of a Python traceback. Line and column numbers
 * are left out (they move with every build).
 *
 * The engine computes the same id for every row it stores (src/store/schema/exception-groups.ts
 * builds its SQL from the patterns below), so rows other writers insert are grouped too; this
 * module computes it for events pushed live, before any read. Both use only what RE2 and
 * JavaScript agree on: no `.`, `\s` or `\d` (their meanings differ), matching line by line.
 */

/** A rewrite: every match of `pattern` (global) becomes `replacement`. */
export interface Rewrite {
  readonly pattern: string
  readonly replacement: string
}

/** Ids and numbers: hex literals, long hex runs (hashes, ids), then any digits. */
const ID_REWRITES: readonly Rewrite[] = [
  { pattern: `\\b0[xX][0-9A-Fa-f]+\\b`, replacement: '<hex>' },
  { pattern: `\\b[0-9A-Fa-f]{8,}\\b`, replacement: '<id>' },
  { pattern: `[0-9]+`, replacement: '<n>' },
]

/**
 * Message rewrites, in order: URLs, e-mail addresses, UUIDs, the ids above, then spacing. Every
 * run that precedes a fixed text (a scheme before `://`, a mailbox before `@`) has an upper bound,
 * so a backtracking engine (JavaScript's) stays linear on long words: with `+` instead, a 16 kB
 * message without spaces took seconds per event (RE2, the engine's, is linear anyway).
 */
export const MESSAGE_REWRITES: readonly Rewrite[] = [
  { pattern: `[A-Za-z][A-Za-z0-9+.-]{0,31}://[^ \\t\\r\\n'"<>()\\[\\]{}]+`, replacement: '<url>' },
  {
    pattern: `[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})+`,
    replacement: '<email>',
  },
  {
    pattern: `[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}`,
    replacement: '<id>',
  },
  ...ID_REWRITES,
  { pattern: `[ \\t\\r\\n\\f\\v]+`, replacement: ' ' },
  { pattern: `^ +| +$`, replacement: '' },
]

/** File-name rewrites: a bundle's hash, a chunk's number. */
export const FILE_REWRITES: readonly Rewrite[] = ID_REWRITES

/** A Python traceback line: `File "<path>", line <n>, in <function>` (groups: path, function). */
export const PYTHON_FRAME = `^[ \\t]*File "([^"]*)", line [0-9]+, in ([^ \\t\\r]+)`

/** A V8 frame: `at fn (file:line:col)` or `at file:line:col` (groups: function, file). */
export const V8_FRAME = `^[ \\t]*at (?:async )?(?:([^()]*?) \\()?([^()]*?):[0-9]+:[0-9]+\\)?[ \\t\\r]*$`

/**
 * A Gecko or WebKit frame: `fn@file:line:col`, `@file:line` (groups: function, file). The
 * function starts with no blank, so leading blanks have one way to match (a line of blanks
 * otherwise cost a backtracking engine quadratic time).
 */
export const GECKO_FRAME = `^[ \\t]*((?:[^@ \\t][^@]*)?)@([^@]*?):[0-9]+(?::[0-9]+)?[ \\t\\r]*$`

/** The path of a file reference: what precedes a query string or fragment. */
export const FILE_PATH = `^[^?#]*`
/** The last segment of a path (either slash). */
export const FILE_BASENAME = `[^/\\\\]*$`

/** How many hex digits of the SHA-256 of the signature make the group id (64 bits). */
export const GROUP_ID_HEX_DIGITS = 16

/** True for a string shaped as a group id. */
export function isGroupId(text: string): boolean {
  return text.length === GROUP_ID_HEX_DIGITS && /^[0-9a-f]+$/.test(text)
}

/** What an exception is grouped by, and the id of its group. */
export interface ExceptionSignature {
  /** The message with ids, numbers, URLs and spacing normalised. */
  readonly message: string
  /** The innermost frame's function ('' when anonymous or absent). */
  readonly frameFunction: string
  /** The innermost frame's file name, normalised ('' without a stack). */
  readonly frameFile: string
  /** The group id: hex digits of a hash of the three above. */
  readonly groupId: string
}

const messageRewrites = MESSAGE_REWRITES.map((r) => ({ re: new RegExp(r.pattern, 'g'), to: r.replacement }))
const fileRewrites = FILE_REWRITES.map((r) => ({ re: new RegExp(r.pattern, 'g'), to: r.replacement }))
const python = new RegExp(PYTHON_FRAME)
const v8 = new RegExp(V8_FRAME)
const gecko = new RegExp(GECKO_FRAME)
const filePath = new RegExp(FILE_PATH)
const fileBasename = new RegExp(FILE_BASENAME)

const rewrite = (text: string, rules: typeof messageRewrites) =>
  rules.reduce((value, rule) => value.replace(rule.re, rule.to), text)

/** The message with everything that varies between occurrences of one error replaced. */
export function normaliseMessage(message: string): string {
  return rewrite(message, messageRewrites)
}

/** The innermost frame of a stack or traceback: [function, file], or ['', ''] when none is found. */
export function topFrame(stack: string): [fn: string, file: string] {
  const lines = stack.split('\n')
  const pythonLine = lines.findLast((line) => python.test(line))
  if (pythonLine !== undefined) {
    const [, file = '', fn = ''] = python.exec(pythonLine) ?? []
    return [fn, file]
  }
  const jsLine = lines.find((line) => v8.test(line) || gecko.test(line))
  if (jsLine === undefined) return ['', '']
  const [, fn = '', file = ''] = v8.exec(jsLine) ?? gecko.exec(jsLine) ?? []
  return [fn, file]
}

/** A frame's file as grouped: its basename without query or fragment, hashes and numbers replaced. */
export function normaliseFile(file: string): string {
  const path = filePath.exec(file)?.[0] ?? ''
  return rewrite(fileBasename.exec(path)?.[0] ?? '', fileRewrites)
}

/** The signature of an exception from its message and stack (either may be empty). */
export function exceptionSignature(message: string, stack: string): ExceptionSignature {
  const [frameFunction, file] = topFrame(stack)
  const normalised = normaliseMessage(message)
  const frameFile = normaliseFile(file)
  const groupId = createHash('sha256')
    .update(`${normalised}\n${frameFunction}\n${frameFile}`, 'utf8')
    .digest('hex')
    .slice(0, GROUP_ID_HEX_DIGITS)
  return { message: normalised, frameFunction, frameFile, groupId }
}

/**
 * The group id of an event from its scope and payload, as the engine stores it: '' for events
 * other than send:exception; message and stack are the payload's string fields ('' otherwise).
 */
export function exceptionGroupOf(scope: string, payload: string | null): string {
  if (scope !== EXCEPTION_SCOPE) return ''
  const { message, stack } = messageAndStack(payload)
  return exceptionSignature(message, stack).groupId
}

/** The payload's `message` and `stack` when they are strings, '' otherwise (as JSONExtractString). */
export function messageAndStack(payload: string | null): { message: string; stack: string } {
  if (payload === null) return { message: '', stack: '' }
  let parsed: unknown
  try {
    parsed = JSON.parse(payload)
  } catch {
    return { message: '', stack: '' }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return { message: '', stack: '' }
  const { message, stack } = parsed as Record<string, unknown>
  return {
    message: typeof message === 'string' ? message : '',
    stack: typeof stack === 'string' ? stack : '',
  }
}
