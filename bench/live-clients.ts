/**
 * Child process of bench/live.ts: the subscribers (raw graphql-ws frames over `ws`, or SSE over
 * node:http), the probe sender and the ingest load, so their work does not share the service's event
 * loop. Commands arrive by IPC; each is answered with one message.
 */
import http from 'node:http'
import WebSocket from 'ws'

type Transport = 'websocket' | 'sse'
type Command =
  | { cmd: 'open'; transport: Transport; n: number }
  | { cmd: 'probe'; count: number; gapMs: number }
  | { cmd: 'close' }
  | { cmd: 'cycles'; transport: Transport; n: number; concurrency: number }
  | { cmd: 'ingest'; seconds: number; batch: number; concurrency: number; exceptionEvery: number }

interface Setup {
  url: string
  /** Authorization of each subscriber, taken in turn: one page per person. */
  subscribers: string[]
  /** Authorization of the senders, taken in turn by each request. */
  senders: string[]
  org: string
}

let setup: Setup
const closers: (() => void)[] = []
/** Receive times (performance.now()) by probe id, one entry per subscriber that got it. */
const received = new Map<string, number[]>()
let sent = 0
const subscriber = (i: number) => setup.subscribers[i % setup.subscribers.length] ?? ''

const SUBSCRIPTION =
  'subscription { exceptions(filter: { objNames: ["probe"] }) { id message userName timestamp } }'

function onPush(data: string): void {
  const now = performance.now()
  const message = (JSON.parse(data) as { data?: { exceptions?: { message?: string } } }).data?.exceptions
    ?.message
  if (!message) return
  const times = received.get(message)
  if (times) times.push(now)
  else received.set(message, [now])
}

function openSocket(i: number): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${setup.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws')
    ws.once('error', reject)
    ws.once('open', () =>
      ws.send(
        JSON.stringify({
          type: 'connection_init',
          payload: { authorization: subscriber(i), 'x-organization': setup.org },
        }),
      ),
    )
    ws.on('message', (raw: Buffer) => {
      const text = raw.toString()
      if (text.startsWith('{"type":"connection_ack"')) {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION } }))
        resolve(() => ws.close())
        return
      }
      const frame = JSON.parse(text) as { type: string; payload?: unknown }
      if (frame.type === 'next') onPush(JSON.stringify(frame.payload))
    })
  })
}

/**
 * An SSE subscriber as lean as the WebSocket one (raw frames over `ws`): node:http, the stream
 * split into messages by hand. fetch's web streams would cost this process about twice the CPU per
 * push, which on shared cores shows up in the latency measured.
 */
function openSse(i: number): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      new URL('/graphql', setup.url),
      {
        method: 'POST',
        headers: {
          authorization: subscriber(i),
          'x-organization': setup.org,
          'content-type': 'application/json',
          accept: 'text/event-stream',
        },
      },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume()
          reject(new Error(`the SSE subscription was answered ${response.statusCode}`))
          return
        }
        response.setEncoding('utf8')
        let buffer = ''
        response.on('data', (chunk: string) => {
          buffer += chunk
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const message = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            if (message.startsWith('event: next')) onPush(message.slice(message.indexOf('data: ') + 6))
          }
        })
        response.on('error', () => {}) // closed by us
        resolve(() => request.destroy())
      },
    )
    request.on('error', reject)
    request.end(JSON.stringify({ query: SUBSCRIPTION }))
  })
}

async function inBatches<T>(n: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++
        results[i] = await task(i)
      }
    }),
  )
  return results
}

function send(events: unknown[], minimal = false): Promise<Response> {
  return fetch(`${setup.url}/api/events`, {
    method: 'POST',
    headers: {
      authorization: setup.senders[sent++ % setup.senders.length] ?? '',
      'x-organization': setup.org,
      'content-type': 'application/json',
      ...(minimal ? { prefer: 'return=minimal' } : {}),
    },
    body: JSON.stringify({ events, timestamp: new Date().toISOString() }),
  })
}

const exception = (message: string) => ({
  scope: 'send:exception',
  timestamp: new Date().toISOString(),
  obj_name: 'probe',
  job_id: 101,
  payload: JSON.stringify({ message, stack: '    at probe (https://bench.test/probe.js:1:2)' }),
})

/**
 * Sends `count` exceptions one after another; for each, every subscriber's receive time is taken
 * against the moment the ingest answer arrived (negative: the push came first) and against the
 * moment the request was sent.
 */
async function probe(count: number, gapMs: number, subscribers: number) {
  const cpu = process.cpuUsage()
  const latencies: number[] = []
  const sinceSent: number[] = []
  let missing = 0
  for (let i = 0; i < count; i++) {
    const id = `probe-${Date.now()}-${i}`
    const sentAt = performance.now()
    const res = await send([exception(id)], true)
    const answeredAt = performance.now()
    await res.arrayBuffer()
    const deadline = answeredAt + 5_000
    while ((received.get(id)?.length ?? 0) < subscribers && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
    const times = received.get(id) ?? []
    missing += subscribers - times.length
    for (const t of times) {
      latencies.push(t - answeredAt)
      sinceSent.push(t - sentAt)
    }
    received.delete(id)
    await new Promise((resolve) => setTimeout(resolve, gapMs))
  }
  const quantiles = (values: number[]) => {
    values.sort((a, b) => a - b)
    const at = (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN
    return { p50: at(0.5), p99: at(0.99), max: values.at(-1) ?? NaN }
  }
  const used = process.cpuUsage(cpu)
  return {
    samples: latencies.length,
    missing,
    answer: quantiles(latencies),
    sent: quantiles(sinceSent),
    /** This process's CPU time (receiving and parsing the pushes, sending the probes). */
    clientCpuUs: used.user + used.system,
  }
}

/** Posts batches of frame changes (one exception in every `exceptionEvery` events) for `seconds`. */
async function ingest(seconds: number, batch: number, concurrency: number, exceptionEvery: number) {
  const until = performance.now() + seconds * 1000
  let events = 0
  let failures = 0
  let serial = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const now = Date.now()
        const body = Array.from({ length: batch }, (_, i) => {
          const n = serial++
          if (exceptionEvery > 0 && n % exceptionEvery === 0) return exception(`load-${n}`)
          return {
            scope: 'change:frame',
            timestamp: new Date(now - (batch - i) * 400).toISOString(),
            duration: 350,
            count: 1,
            job_id: 101,
            obj_val: String(i),
          }
        })
        const res = await send(body, true)
        await res.arrayBuffer()
        if (res.status < 300) events += batch
        else failures++
      }
    }),
  )
  received.clear()
  return { events, failures, seconds: (performance.now() - started) / 1000 }
}

async function cycles(transport: Transport, n: number, concurrency: number) {
  let failures = 0
  await inBatches(n, concurrency, async (i) => {
    try {
      const close = transport === 'websocket' ? await openSocket(i) : await openSse(i)
      close()
    } catch {
      failures++
    }
  })
  return { failures }
}

async function handle(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case 'open': {
      const opened = await inBatches(command.n, 50, (i) =>
        command.transport === 'websocket' ? openSocket(i) : openSse(i),
      )
      closers.push(...opened)
      return { open: closers.length }
    }
    case 'probe':
      return probe(command.count, command.gapMs, closers.length)
    case 'close':
      closers.splice(0).forEach((close) => close())
      return { open: 0 }
    case 'cycles':
      return cycles(command.transport, command.n, command.concurrency)
    case 'ingest':
      return ingest(command.seconds, command.batch, command.concurrency, command.exceptionEvery)
  }
}

process.on('message', (message: Setup | Command) => {
  if ('url' in message) {
    setup = message
    process.send?.({ ready: true })
    return
  }
  handle(message).then(
    (result) => process.send?.(result),
    (error: unknown) => process.send?.({ error: String(error) }),
  )
})
