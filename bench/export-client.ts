/**
 * The client side of bench/export.ts, in its own process: CVAT's flow over real HTTP. Start and
 * poll (every 25 ms until 201) with Node's fetch; download with curl, as the seed documents it,
 * then once more with Node's fetch. Downloaded bytes are counted, not kept.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

interface Job {
  url: string
  username: string
  password: string
  query: string
}

process.once('message', (message) => {
  void run(message as Job).then(
    (result) => process.send?.(result),
    (error: unknown) => process.send?.({ error: String(error) }),
  )
})

async function run({ url, username, password, query }: Job) {
  const headers = { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` }
  const t0 = performance.now()
  const start = await fetch(`${url}/api/events?${query}`, { headers })
  if (start.status !== 202) throw new Error(`start: ${start.status} ${await start.text()}`)
  const { query_id: id } = (await start.json()) as { query_id: string }
  for (;;) {
    const polled = await fetch(`${url}/api/events?${query}&query_id=${id}`, { headers })
    await polled.arrayBuffer()
    if (polled.status === 201) break
    if (polled.status !== 202) throw new Error(`poll: ${polled.status}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  const readyMs = performance.now() - t0
  const download = `${url}/api/events?${query}&query_id=${id}&action=download`

  const curlStart = performance.now()
  const { stdout } = await promisify(execFile)('curl', [
    '-s',
    '-f',
    '-o',
    '/dev/null',
    '-w',
    '%{size_download}',
    '--user',
    `${username}:${password}`,
    download,
  ])
  const curlMs = performance.now() - curlStart
  const bytes = Number(stdout)

  const fetchStart = performance.now()
  const res = await fetch(download, { headers })
  if (res.status !== 200 || !res.body) throw new Error(`download: ${res.status}`)
  let fetched = 0
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) fetched += chunk.byteLength
  const fetchMs = performance.now() - fetchStart
  if (fetched !== bytes) throw new Error(`curl got ${bytes} bytes, fetch ${fetched}`)
  return { id, readyMs, curlMs, fetchMs, bytes }
}
