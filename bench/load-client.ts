/** Child process of bench/cache.ts: sends one request over and over from `concurrency` loops for a while. */

interface Job {
  readonly url: string
  readonly method: string
  readonly headers: Record<string, string>
  readonly body: string | null
  readonly concurrency: number
  readonly seconds: number
}

process.once('message', (job: Job) => {
  void run(job).then((result) => process.send?.(result))
})

async function run(
  job: Job,
): Promise<{ requests: number; seconds: number; failures: number; bytes: number }> {
  const until = performance.now() + job.seconds * 1000
  let requests = 0
  let failures = 0
  let bytes = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < until) {
        const res = await fetch(job.url, {
          method: job.method,
          headers: job.headers,
          ...(job.body === null ? {} : { body: job.body }),
        })
        bytes += (await res.arrayBuffer()).byteLength
        requests += 1
        if (res.status !== 200) failures += 1
      }
    }),
  )
  return { requests, seconds: (performance.now() - started) / 1000, failures, bytes }
}
