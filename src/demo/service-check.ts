import { setTimeout as sleep } from 'node:timers/promises'
import type { FetchFunction } from './http-sink.js'
import type { DemoPerson } from './world.js'

/** The service cannot be driven: not running, or not reading the accounts the demo wrote. */
export class ServiceCheckError extends Error {
  override name = 'ServiceCheckError'
}

/** Fails with advice when nothing answers `GET /health` at `url`. */
export async function requireService(url: string, fetchFn: FetchFunction): Promise<void> {
  try {
    const response = await fetchFn(new Request(`${url}/health`, { signal: AbortSignal.timeout(5_000) }))
    await response.body?.cancel()
    if (response.ok) return
    throw new Error(`GET /health answered ${response.status}`)
  } catch (error) {
    throw new ServiceCheckError(
      `the service at ${url} is not reachable (${(error as Error).message}).\n` +
        `Start it first, in another terminal with the same environment: npm start\n` +
        `or give the address of a running one: npm run demo -- --url http://host:port`,
    )
  }
}

/**
 * Waits until the service accepts the demo's credentials: it reloads the accounts file at most
 * once a second. Probes with empty requests, which store nothing.
 */
export async function waitForAccounts(
  url: string,
  fetchFn: FetchFunction,
  probe: { person: DemoPerson; password: string; ingestToken: string },
  timeoutMs = 6_000,
): Promise<void> {
  const basic = Buffer.from(`${probe.person.username}:${probe.password}`).toString('base64')
  const requests = () => [
    new Request(`${url}/api/events`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'x-organization': probe.person.orgSlug,
        'content-type': 'application/json',
        prefer: 'return=minimal',
      },
      body: JSON.stringify({ events: [], timestamp: new Date().toISOString() }),
    }),
    new Request(`${url}/api/events/server`, {
      method: 'POST',
      headers: { authorization: `Bearer ${probe.ingestToken}`, 'content-type': 'application/json' },
      body: '[]',
    }),
  ]
  const deadline = Date.now() + timeoutMs
  let statuses: number[] = []
  while (Date.now() < deadline) {
    statuses = await Promise.all(
      requests().map(async (request) => {
        const response = await fetchFn(request)
        await response.body?.cancel()
        return response.status
      }),
    )
    if (statuses.every((s) => s === 201 || s === 202)) return
    await sleep(250)
  }
  throw new ServiceCheckError(
    `the service at ${url} does not accept the demo accounts (answers ${statuses.join(', ')}).\n` +
      `Run the demo with the same DATA_DIR (or ACCOUNTS_FILE) as the service, on the same machine.`,
  )
}
