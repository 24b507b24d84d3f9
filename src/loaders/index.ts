import type { Store } from '../store/index.js'
import { createEntityLoaders, type EntityLoaders } from './entity-loaders.js'

/** Every loader family, created fresh per operation (a cache must never outlive its operation). */
export interface Loaders {
  readonly entities: EntityLoaders
}

export function createLoaders(store: Store): Loaders {
  return { entities: createEntityLoaders(store) }
}
