import type { Store } from '../store/index.js'
import { createEntityLoaders, type EntityLoaders } from './entity-loaders.js'
import { createProductivityLoaders, type ProductivityLoaders } from './productivity-loaders.js'

/** Every loader family, created fresh per operation (a cache must never outlive its operation). */
export interface Loaders {
  readonly entities: EntityLoaders
  readonly productivity: ProductivityLoaders
}

export function createLoaders(store: Store): Loaders {
  return { entities: createEntityLoaders(store), productivity: createProductivityLoaders(store) }
}
