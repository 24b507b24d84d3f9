import { describe, expect, it } from 'vitest'
import {
  exceptionGroupOf,
  exceptionSignature,
  messageAndStack,
  normaliseFile,
  normaliseMessage,
  topFrame,
} from '../../src/domain/exception-fingerprint.js'
import { CHROME, DJANGO, FIREFOX, NODE, SAFARI, SAMPLES } from '../support/stack-traces.js'

const payload = (message: unknown, stack?: unknown) => JSON.stringify({ message, stack, filename: 'x.js' })

describe('top frame', () => {
  it.each(SAMPLES.map((s) => [s.name, s] as const))(
    'finds the innermost frame of a %s stack',
    (_, sample) => {
      expect(topFrame(sample.stack)).toEqual(sample.frame)
    },
  )

  it('takes the last File line of a Python traceback, the innermost call', () => {
    expect(topFrame(DJANGO.stack)[0]).toBe('get')
  })

  it('finds nothing in text without frames', () => {
    expect(topFrame('')).toEqual(['', ''])
    expect(topFrame('Error: something\nno frames here')).toEqual(['', ''])
  })
})

describe('normalisation', () => {
  it('replaces numbers, ids, UUIDs, hex, URLs and e-mail addresses, and collapses spacing', () => {
    expect(
      normaliseMessage(
        '  Job 1234 of task 98 (uuid 3f2a1b9c-0d4e-4f5a-8b6c-7d8e9f0a1b2c) failed at https://cvat.example.com/api/jobs/1234?org=acme\n\tfor  ann@acme.test: 0xDEADBEEF, hash a3f9c2e1d4b5 ',
      ),
    ).toBe('Job <n> of task <n> (uuid <id>) failed at <url> for <email>: <hex>, hash <id>')
  })

  it('keeps what names the error: words, quoted property names, punctuation', () => {
    expect(normaliseMessage("Cannot read properties of undefined (reading 'points')")).toBe(
      "Cannot read properties of undefined (reading 'points')",
    )
  })

  it('reduces a file to its basename without query, bundle hash or numbers', () => {
    expect(normaliseFile('https://app.cvat.ai/assets/cvat-ui.min.4f3a2b1c9d.js?v=2#x')).toBe(
      'cvat-ui.min.<id>.js',
    )
    expect(normaliseFile('/opt/venv/lib/python3.10/site-packages/django/db/models/query.py')).toBe('query.py')
    expect(normaliseFile('C:\\app\\chunk-17.js')).toBe('chunk-<n>.js')
    expect(normaliseFile('')).toBe('')
  })
})

describe('group id', () => {
  const group = (message: unknown, stack?: unknown) =>
    exceptionGroupOf('send:exception', payload(message, stack))

  it('is 16 hex digits for every exception, and empty for other scopes', () => {
    for (const s of SAMPLES) expect(group(s.message, s.stack)).toMatch(/^[0-9a-f]{16}$/)
    expect(exceptionGroupOf('change:frame', payload('x'))).toBe('')
  })

  it('is the same for one error with other ids, line numbers and bundle hashes', () => {
    const otherBuild = CHROME.stack.replaceAll('4f3a2b1c9d', '77aa00bb11').replaceAll(':181734', ':181990')
    expect(group(CHROME.message, otherBuild)).toBe(group(CHROME.message, CHROME.stack))
    const pythonElsewhere = DJANGO.stack.replace('line 637', 'line 640').replace('python3.10', 'python3.12')
    expect(group('Job matching query does not exist.', pythonElsewhere)).toBe(
      group(DJANGO.message, DJANGO.stack),
    )
    expect(group('Job 17 not found at https://a.test/x', '')).toBe(
      group('Job 4242 not found at http://b.test/y?z=1', ''),
    )
  })

  it('differs when the message or the top frame differs', () => {
    const base = group(CHROME.message, CHROME.stack)
    expect(group("Cannot read properties of undefined (reading 'label')", CHROME.stack)).not.toBe(base)
    expect(
      group(CHROME.message, CHROME.stack.replace('ShapeView.updateGeometry', 'ShapeView.draw')),
    ).not.toBe(base)
    expect(group(CHROME.message, '')).not.toBe(base)
    expect(new Set([FIREFOX, SAFARI, NODE, DJANGO].map((s) => group(s.message, s.stack))).size).toBe(4)
  })

  it('reads message and stack only when they are strings, as the engine does', () => {
    expect(messageAndStack('{"message": 5, "stack": ["x"]}')).toEqual({ message: '', stack: '' })
    expect(messageAndStack('not json')).toEqual({ message: '', stack: '' })
    expect(messageAndStack(null)).toEqual({ message: '', stack: '' })
    expect(exceptionGroupOf('send:exception', 'not json')).toBe(exceptionSignature('', '').groupId)
  })
})

describe('cost', () => {
  // Messages and stacks come from clients: no input may make grouping slow (ingest computes it).
  const hostile = {
    'one long word': 'x'.repeat(100_000),
    'dotted run': 'a.'.repeat(50_000),
    'at signs': 'a@'.repeat(50_000),
    'colons and digits': '1:'.repeat(50_000),
    'hex run': 'f'.repeat(100_000) + 'g',
    spaces: ' '.repeat(100_000) + 'x',
    tabs: '\t'.repeat(100_000) + '@',
    'frame-like words': 'at x (y:1:2'.repeat(10_000),
    'opening parentheses': ' ('.repeat(50_000),
    'url-like runs': 'a://'.repeat(25_000),
  }
  it.each(Object.entries(hostile))('fingerprints a 100 kB message of %s quickly', (_, text) => {
    const started = performance.now()
    exceptionSignature(text, `    at ${text}\n${text}@${text}\n  File "${text}", line 1, in ${text}`)
    expect(performance.now() - started).toBeLessThan(500)
  })
})
