import type { Engine } from '../store/engine.js'
import { createEntityLoaders, type EntityLoaders } from './entity-loaders.js'

/** Every loader family, created fresh per request (a cache must never outlive its request). */
export interface Loaders {
  readonly entities: EntityLoaders
}

export function createLoaders(engine: Engine): Loaders {
  return { entities: createEntityLoaders(engine) }
}
