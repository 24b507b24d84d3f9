import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A load balancer in front of several replicas: each request goes to the next one in turn. */
export interface RoundRobinProxy {
  readonly url: string
  /** Requests each backend received, by its URL. */
  readonly served: ReadonlyMap<string, number>
  close(): Promise<void>
}

export async function startRoundRobinProxy(backends: readonly string[]): Promise<RoundRobinProxy> {
  const served = new Map(backends.map((b) => [b, 0]))
  let next = 0
  const server: Server = createServer((req, res) => {
    const backend = backends[next++ % backends.length] as string
    served.set(backend, (served.get(backend) ?? 0) + 1)
    const target = new URL(req.url ?? '/', backend)
    const upstream = request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' })
      res.end(`proxy: ${error.message}`)
    })
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
