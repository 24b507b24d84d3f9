/**
 * Child process of bench/ingest.ts (and bench/mixed.ts): posts CVAT client batches for a while,
 * each of `concurrency` loops waiting for its answer before sending the next, and reports the
 * events acknowledged and the latency of each acknowledgement.
 */

export interface IngestJob {
  readonly url: string
  readonly authorization: string
  readonly org: string
  readonly batchSize: number
  readonly concurrency: number
  readonly seconds: number
  /** `Prefer: return=minimal` instead of CVAT's echo. */
  readonly minimal?: boolean
}

export interface IngestResult {
  readonly events: number
  readonly requests: number
  readonly seconds: number
  readonly failures: number
  /** Acknowledgement latency percentiles, ms. */
  readonly p50: number
  readonly p99: number
}

const SCOPES = [
  'change:frame',
  'draw:object',
  'zoom:image',
  'change:frame',
  'resize:object',
  'action:undo',
  'change:frame',
  'save:job',
]

/** A batch shaped like CVAT's UI sends: mostly frame changes with durations, some drawing. */
function batchBody(size: number, seed: number): string {
  const now = Date.now()
  const events = Array.from({ length: size }, (_, i) => {
    const scope = SCOPES[(seed + i) % SCOPES.length] as string
    return {
      scope,
      obj_val: scope === 'change:frame' ? String(i) : null,
      timestamp: new Date(now - (size - i) * 400).toISOString(),
      count: ['change:frame', 'action:undo'].includes(scope) ? 1 : null,
      duration: scope === 'change:frame' ? 350 : 0,
      job_id: 1000 + (seed % 40),
      task_id: 100 + (seed % 10),
      project_id: 10 + (seed % 3),
      payload: JSON.stringify({ step: 1, tool: 'rectangle', label_id: 3 }),
    }
  })
  return JSON.stringify({ events, previous_event: null, timestamp: new Date(now).toISOString() })
}

process.once('message', (job: IngestJob) => {
  void run(job).then((result) => process.send?.(result))
})

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN

async function run(job: IngestJob): Promise<IngestResult> {
  const bodies = Array.from({ length: 16 }, (_, i) => batchBody(job.batchSize, i))
  const latencies: number[] = []
  let failures = 0
  let sent = 0
  const started = performance.now()
  const until = started + job.seconds * 1000
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < until) {
        const body = bodies[sent++ % bodies.length]
        const t = performance.now()
        const res = await fetch(job.url, {
          method: 'POST',
          headers: {
            authorization: job.authorization,
            'x-organization': job.org,
            'content-type': 'application/json',
            ...(job.minimal ? { prefer: 'return=minimal' } : {}),
          },
          body,
        })
        await res.arrayBuffer()
        if (res.status === 201 || res.status === 200) latencies.push(performance.now() - t)
        else failures += 1
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    events: latencies.length * job.batchSize,
    requests: latencies.length,
    seconds,
    failures,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  }
}
