import DataLoader from 'dataloader'
import type { AuthorizedFilter } from '../domain/filter.js'
import type { JobFlow } from '../domain/job-flow.js'
import type { Store } from '../store/index.js'
import { stableKey } from './stable-key.js'

/** Per-request loaders of productivity fields: the flows of a list of jobs are one store query. */
export interface ProductivityLoaders {
  jobFlow(filter: AuthorizedFilter, toMs: number): DataLoader<string, JobFlow | null>
}

export function createProductivityLoaders(store: Store): ProductivityLoaders {
  const loaders = new Map<string, DataLoader<string, JobFlow | null>>()
  return {
    jobFlow(filter, toMs) {
      const key = stableKey(['jobFlow', filter, toMs])
      let loader = loaders.get(key)
      if (!loader) {
        loader = new DataLoader(async (ids) => {
          const flows = await store.productivity.jobFlowsOf(filter, ids, toMs)
          return ids.map((id) => flows.get(id) ?? null)
        })
        loaders.set(key, loader)
      }
      return loader
    },
  }
}
