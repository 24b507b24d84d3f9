import { Writable } from 'node:stream'
import { GraphQLError, Source, type ExecutionResult } from 'graphql'
import { getSSEProcessor } from 'graphql-yoga'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../../src/errors.js'
import { SSE_HIGH_WATER_MARK, SseStream, sseMessage } from '../../src/transports/sse.js'

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items
}

async function text(stream: AsyncIterable<Uint8Array | string>): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks).toString('utf8')
}

/** The messages of an SSE body, keep-alive comments left out (their timing differs). */
const messages = (body: string) => body.split('\n\n').filter((message) => message !== ':')

/** What yoga's own SSE processor writes for the same results (web streams of Node's own). */
async function yogaBody(results: readonly ExecutionResult[]): Promise<string> {
  const fetchAPI = { ReadableStream, Response, TextEncoder } as never
  const response = await getSSEProcessor()(each(results) as never, fetchAPI, 'text/event-stream')
  return response.text()
}

/** A subscription that never ends (an event each turn of the event loop), counting what it was asked for. */
function endless(size = 1_000) {
  const iterator = {
    pulled: 0,
    next: () =>
      new Promise<IteratorResult<ExecutionResult>>((resolve) =>
        setImmediate(() =>
          resolve({ value: { data: { n: iterator.pulled++, pad: 'x'.repeat(size) } }, done: false }),
        ),
      ),
    return: vi.fn(() => Promise.resolve({ value: undefined, done: true as const })),
  }
  return iterator
}

/** A client whose socket stopped taking bytes: it holds every write until it `reads()` again. */
function stalledClient() {
  let held: (() => void) | undefined
  let reading = false
  const client = new Writable({
    highWaterMark: 1024,
    write: (_chunk, _encoding, done) => (reading ? done() : (held = done)),
  })
  return Object.assign(client, {
    reads: () => {
      reading = true
      held?.()
    },
  })
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve))
}

afterEach(() => {
  vi.useRealTimers()
})

describe('SseStream', () => {
  it('writes exactly what yoga’s own SSE answer writes, errors and extensions included', async () => {
    const inner = new GraphQLError('inner', { extensions: { code: 'INNER', unexpected: true } })
    const results: ExecutionResult[] = [
      { data: { exceptions: { message: 'a "quoted"\nünïcode ✓', jobId: '101', n: 1.5 } } },
      { data: null, errors: [new AppError('SUBSCRIBER_TOO_SLOW', 429, 'too slow: read faster')] },
      {
        data: { a: null },
        errors: [
          new GraphQLError('boom', {
            source: new Source('subscription { a }'),
            positions: [15],
            path: ['a'],
            extensions: { code: 'INTERNAL', unexpected: true, http: { status: 500 } },
          }),
        ],
      },
      {
        data: { a: 1 },
        errors: [
          new GraphQLError('wrapped', { extensions: { http: { status: 400 } }, originalError: inner }),
        ],
      },
      { data: { a: 1 }, extensions: { http: { status: 201, headers: { x: 'y' } }, cost: 3 } },
      { data: { a: 2 }, extensions: { http: { status: 201 } } },
      Object.assign({ data: { a: 3 } }, { stringify: () => '{"own":"serialiser"}' }),
    ]
    const ours = await text(new SseStream(each(results), 0))
    const theirs = await yogaBody(results)
    expect(ours.startsWith(':\n\n')).toBe(true)
    expect(theirs.startsWith(':\n\n')).toBe(true)
    expect(messages(ours)).toEqual(messages(theirs))
    expect(messages(ours).at(-2)).toBe('event: complete\ndata:')
    expect(ours).not.toMatch(/unexpected|"http"/)
  })

  it('makes the message of a result once, however many streams send it', async () => {
    const shared: ExecutionResult = { data: { exceptions: { message: 'one for all' } } }
    expect(sseMessage(shared)).toBe(sseMessage(shared))
    expect(sseMessage({ ...shared })).not.toBe(sseMessage(shared))
    const bodies = await Promise.all([1, 2, 3].map(() => text(new SseStream(each([shared]), 0))))
    expect(new Set(bodies).size).toBe(1)
  })

  it('asks the subscription for more only as fast as the client reads, and ends it when the client goes', async () => {
    const subscription = endless()
    const stream = new SseStream(subscription, 0)
    const client = stalledClient()
    stream.pipe(client)
    // The stream's buffer fills, and then nothing more is asked of the subscription.
    await vi.waitFor(() => expect(stream.readableLength).toBeGreaterThanOrEqual(stream.readableHighWaterMark))
    const asked = subscription.pulled
    await turns(20)
    expect(subscription.pulled).toBe(asked)
    // The same buffer on every Node version (Node 22 raised the default to 64 KiB): 16 KiB of 1 KB
    // events in the stream, a few in the client.
    expect(stream.readableHighWaterMark).toBe(SSE_HIGH_WATER_MARK)
    expect(asked).toBeLessThan(40)
    // The client reads again: the stream takes more.
    client.reads()
    await vi.waitFor(() => expect(subscription.pulled).toBeGreaterThan(asked))
    // The client goes away: the subscription is returned, once.
    stream.destroy()
    await vi.waitFor(() => expect(subscription.return).toHaveBeenCalledTimes(1))
  })

  it('sends a keep-alive comment every interval while nothing waits, none that piles up', async () => {
    vi.useFakeTimers()
    const idle = {
      next: () => new Promise<never>(() => {}),
      return: vi.fn(() => Promise.resolve({ value: undefined, done: true as const })),
    }
    const reading = new SseStream(idle, 1_000)
    const received: string[] = []
    reading.on('data', (chunk: Buffer) => received.push(chunk.toString()))
    await vi.advanceTimersByTimeAsync(3_500)
    expect(received).toEqual([':\n\n', ':\n\n', ':\n\n', ':\n\n'])
    // Nobody reads this one: one comment waits, and no more are added to it.
    const unread = new SseStream(idle, 1_000)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(unread.readableLength).toBe(3)
    reading.destroy()
    unread.destroy()
  })
})
