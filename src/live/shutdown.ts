import type { EventWriter } from '../ingest/writer.js'
import type { LiveHub } from './hub.js'
import type { WebSocketEndpoint } from './websocket.js'

/** How long the last events may take to reach slow subscribers at shutdown. */
export const LIVE_SHUTDOWN_GRACE_MS = 5_000

/**
 * The live part of stopping (SIGTERM): the writes in flight are committed and published, every
 * subscriber receives what it was sent (for at most `graceMs`), then subscriptions end: SSE
 * streams complete, WebSockets close with 1001; sockets without subscriptions close too.
 */
export async function endLiveSubscriptions(
  parts: { writer: Pick<EventWriter, 'flush'>; live: Pick<LiveHub, 'close'>; sockets?: WebSocketEndpoint },
  graceMs = LIVE_SHUTDOWN_GRACE_MS,
): Promise<void> {
  await parts.writer.flush()
  await parts.live.close(graceMs)
  await parts.sockets?.close()
}
