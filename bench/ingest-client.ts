/** Child process of bench/ingest.ts: posts CVAT client batches as fast as the server acknowledges them. */

interface Job {
  url: string
  authorization: string
  org: string
  batchSize: number
  concurrency: number
  total: number
  minimal: boolean
  /** Every this many events, a `user:activity` heartbeat as CVAT's UI sends; 0: none. @default 0 */
  heartbeatEvery?: number
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
function batchBody(size: number, seed: number, heartbeatEvery = 0): string {
  const now = Date.now()
  const events = Array.from({ length: size }, (_, i) => {
    const heartbeat = heartbeatEvery > 0 && i % heartbeatEvery === heartbeatEvery - 1
    const scope = heartbeat ? 'user:activity' : (SCOPES[(seed + i) % SCOPES.length] as string)
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

process.once('message', (job: Job) => {
  void run(job).then((result) => process.send?.(result))
})

async function run(job: Job) {
  const bodies = Array.from({ length: 16 }, (_, i) => batchBody(job.batchSize, i, job.heartbeatEvery))
  const batches = Math.ceil(job.total / job.batchSize)
  let next = 0
  let failures = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < batches) {
        const i = next++
        const res = await fetch(job.url, {
          method: 'POST',
          headers: {
            authorization: job.authorization,
            'x-organization': job.org,
            'content-type': 'application/json',
            ...(job.minimal ? { prefer: 'return=minimal' } : {}),
          },
          body: bodies[i % bodies.length],
        })
        await res.arrayBuffer()
        if (res.status !== 201) failures += 1
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  return { events: batches * job.batchSize, seconds, failures }
}
