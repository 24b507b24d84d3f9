/**
 * Child process of bench/mixed.ts: `concurrency` loops each asking one GraphQL query over and over
 * for a while, each waiting for its answer, with a range ending at the moment of asking (a
 * dashboard's moving "now": no answer can be reused from one request to the next). Reports the
 * answers, the failures and the latency percentiles.
 */

export interface QueryJob {
  readonly url: string
  readonly headers: Record<string, string>
  readonly query: string
  /** The range each request asks: the `rangeMs` before the moment it is sent. */
  readonly rangeMs: number
  readonly interval: string
  readonly concurrency: number
  readonly seconds: number
}

export interface QueryResult {
  readonly requests: number
  readonly failures: number
  readonly bytes: number
  /** Latency percentiles of the answered requests, ms. */
  readonly p50: number
  readonly p99: number
}

process.once('message', (job: QueryJob) => {
  void run(job).then((result) => process.send?.(result))
})

async function run(job: QueryJob): Promise<QueryResult> {
  const until = performance.now() + job.seconds * 1000
  const latencies: number[] = []
  let failures = 0
  let bytes = 0
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < until) {
        const now = Date.now()
        const started = performance.now()
        const res = await fetch(job.url, {
          method: 'POST',
          headers: { ...job.headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            query: job.query,
            variables: {
              filter: { from: new Date(now - job.rangeMs).toISOString(), to: new Date(now).toISOString() },
              interval: job.interval,
            },
          }),
        }).catch(() => undefined)
        const text = res ? await res.text().catch(() => '') : ''
        if (!res || res.status !== 200 || text.includes('"errors"')) {
          failures += 1
          continue
        }
        latencies.push(performance.now() - started)
        bytes += text.length
      }
    }),
  )
  latencies.sort((a, b) => a - b)
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? Number.NaN
  return { requests: latencies.length, failures, bytes, p50: at(0.5), p99: at(0.99) }
}
