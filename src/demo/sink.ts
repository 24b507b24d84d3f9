import type { DemoSend } from './sends.js'

/** Where sends go: the service over HTTP (http-sink.ts), or a store directly (store-sink.ts). */
export interface DemoSink {
  /** Takes a send; resolves when there is room for the next (not necessarily when this one is stored). */
  send(send: DemoSend): Promise<void>
  /** Resolves once everything taken is stored; rejects with the first failure. */
  drain(): Promise<void>
}
