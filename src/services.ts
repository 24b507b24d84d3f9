import type { Authenticator } from './auth/access.js'
import type { AccountDirectory } from './auth/directory.js'
import type { Config } from './config.js'
import type { ExportService } from './export/service.js'
import type { Ingest } from './ingest/service.js'
import type { EventWriter } from './ingest/writer.js'
import type { Logger } from './logger.js'
import type { Store } from './store/index.js'

/**
 * Everything buildApp builds, for the composition root, the admin tools and tests. Transports are
 * handed the parts they use (a route its service, the GraphQL context its core), never this.
 */
export interface Services {
  readonly config: Config
  readonly log: Logger
  readonly store: Store
  readonly directory: AccountDirectory
  readonly auth: Authenticator
  readonly writer: EventWriter
  readonly ingest: Ingest
  readonly exports: ExportService
}
