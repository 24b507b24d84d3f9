/**
 * Child process of the benchmarks that compare builds: runs one service, built from the checkout
 * at `root` (this one, or an earlier release's worktree) as its own tests build it
 * (tests/support/app.ts: a fresh data directory, the test accounts), on a real port, and answers
 * its parent's messages: its port once started, its CPU time and memory when asked, a CPU profile
 * between two messages, and stops.
 */
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { mainThreadUs, startProfile } from './process-probes.js'

interface Start {
  readonly root: string
  readonly env: Record<string, string>
  /** load: synthetic events to insert (src/store/synthetic-events.ts of the checkout). */
  readonly load: SyntheticLoad
  /** profile-stop: where the profile goes. */
  readonly file: string
}

interface Started {
  readonly app: { start(): Promise<{ port: number }>; readonly services: { readonly store: LoadableStore } }
  stop(): Promise<void>
}

/** What `load` needs of either build's store: this one's bulk inserts, or the release's engine. */
interface LoadableStore {
  readonly engine: unknown
  readonly bulk?: { insertSynthetic(options: SyntheticLoad): Promise<void> }
  readonly rollups?: { flush(): Promise<void> }
}

interface SyntheticLoad {
  readonly rows: number
  readonly fromMs: number
  readonly toMs: number
  readonly offset?: number
}

let service: Started | undefined
let stopProfile: ((file: string) => Promise<void>) | undefined

process.on('message', (message: { cmd: string } & Partial<Start>) => {
  void handle(message).then(
    (answer) => process.send?.(answer),
    (error: unknown) => process.send?.({ error: error instanceof Error ? error.stack : String(error) }),
  )
})

async function handle(message: { cmd: string } & Partial<Start>): Promise<object> {
  switch (message.cmd) {
    case 'start': {
      const support = (await import(
        pathToFileURL(path.join(message.root ?? '.', 'tests/support/app.ts')).href
      )) as { startTestApp(env: Record<string, string>): Promise<Started> }
      service = await support.startTestApp(message.env ?? {})
      const { port } = await service.app.start()
      return { port }
    }
    case 'load': {
      // The checkout's own synthetic events, counted into its rollups where it has them.
      const store = service?.app.services.store
      const load = message.load
      if (!store || !load) throw new Error('load: no service, or nothing to load')
      const started = performance.now()
      if (store.bulk) {
        await store.bulk.insertSynthetic(load)
        await store.rollups?.flush()
      } else {
        const synthetic = (await import(
          pathToFileURL(path.join(message.root ?? '.', 'src/store/synthetic-events.ts')).href
        )) as { insertSyntheticEvents(engine: unknown, options: SyntheticLoad): Promise<void> }
        await synthetic.insertSyntheticEvents(store.engine, load)
      }
      return { seconds: (performance.now() - started) / 1000 }
    }
    case 'usage': {
      const cpu = process.cpuUsage()
      return {
        cpuMicros: cpu.user + cpu.system,
        mainThreadMicros: mainThreadUs(),
        rss: process.memoryUsage.rss(),
      }
    }
    case 'profile-start':
      stopProfile = await startProfile()
      return { profiling: true }
    case 'profile-stop':
      await stopProfile?.(message.file ?? 'service.cpuprofile')
      stopProfile = undefined
      return { profiling: false }
    case 'stop':
      await service?.stop()
      setImmediate(() => process.exit(0))
      return { stopped: true }
    default:
      throw new Error(`unknown command ${message.cmd}`)
  }
}
