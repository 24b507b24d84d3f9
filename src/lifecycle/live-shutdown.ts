import { settlesWithin } from '../domain/settles-within.js'
import type { EventWriter } from '../ingest/writer.js'
import type { LiveHub } from '../live/hub.js'
import type { WebSocketEndpoint } from '../transports/websocket.js'

/** The longest the last events may take to reach slow subscribers at shutdown. */
export const LIVE_SHUTDOWN_GRACE_MS = 5_000

/**
 * The live part of stopping (SIGTERM): the writes in flight are committed (or handed to the
 * spool) and their events published, every subscriber receives what it was sent, then
 * subscriptions end: SSE streams complete, WebSockets close with 1001; sockets without
 * subscriptions close too. Everything is done by `deadline` (epoch ms), however slow the store or
 * the clients.
 */
export async function endLiveSubscriptions(
  parts: {
    writer: Pick<EventWriter, 'flush'>
    live: Pick<LiveHub, 'close'>
    sockets?: WebSocketEndpoint | undefined
  },
  deadline: number,
): Promise<void> {
  const left = () => Math.max(0, deadline - Date.now())
  await settlesWithin(parts.writer.flush(), left() / 2)
  await parts.live.close(Math.min(LIVE_SHUTDOWN_GRACE_MS, left()))
  await parts.sockets?.close()
}
