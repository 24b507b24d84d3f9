import type { AccountDirectory } from './auth/directory.js'
import type { Config } from './config.js'
import type { ExportService } from './export/service.js'
import type { Ingest } from './ingest/service.js'
import type { EventWriter } from './ingest/writer.js'
import type { Logger } from './logger.js'
import type { Store } from './store/index.js'

/** The core the transports share: built once by buildApp, handed to routes and the GraphQL context. */
export interface Services {
  readonly config: Config
  readonly log: Logger
  readonly store: Store
  readonly directory: AccountDirectory
  readonly writer: EventWriter
  readonly ingest: Ingest
  readonly exports: ExportService
}
