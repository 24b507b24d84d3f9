import type { Server } from 'node:http'
import { settlesWithin } from '../domain/settles-within.js'

/**
 * Stops `server` accepting connections and lets the requests in flight finish, until `deadline`
 * (epoch ms); then cuts what is left. Idle keep-alive connections are closed at once and as soon
 * as each becomes idle, so a client cannot slip a new request in on them.
 */
export async function closeGracefully(server: Server, deadline: number): Promise<void> {
  if (!server.listening) return
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  server.closeIdleConnections()
  const sweep = setInterval(() => server.closeIdleConnections(), 25)
  try {
    await settlesWithin(closed, Math.max(0, deadline - Date.now()))
  } finally {
    clearInterval(sweep)
  }
  server.closeAllConnections()
  await closed
}
