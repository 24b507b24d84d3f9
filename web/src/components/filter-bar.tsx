import { useState } from 'preact/hooks'
import { useQuery } from '../api/use-query'
import { FilterOptionsDocument } from '../gql/graphql'
import { FILTERS, useView, type FilterKey } from '../state/dashboard'
import { listParam, useSearch } from '../state/url'
import { MultiSelect, type Option } from './multi-select'

/**
 * The dashboard's variables (users, projects, tasks, jobs, scopes, sources), each listing what
 * the range holds in this organization, as Grafana's variable queries do; choices go to the URL.
 */
export function FilterBar({
  keys,
  defaultFrom,
}: {
  keys: readonly FilterKey[]
  defaultFrom?: string | undefined
}) {
  const view = useView([], defaultFrom)
  const [params, update] = useSearch()
  // The options are asked for once a variable is opened or holds a choice to name: the panels'
  // queries go first, the page shows its figures sooner.
  const [opened, setOpened] = useState(false)
  const wanted = opened || keys.some((k) => params.has(k))
  const options = useQuery(
    FilterOptionsDocument,
    wanted ? { filter: { from: view.filter.from, to: view.filter.to }, limit: 1000 } : null,
    view.org,
    view.tick,
  )
  const data = options.data?.filterOptions
  const ids = (values: readonly string[] | undefined, prefix: string): Option[] =>
    (values ?? []).map((v) => ({ value: v, label: `${prefix} ${v}` }))
  const optionsOf: Record<FilterKey, Option[]> = {
    users: (data?.users ?? []).map((u) => ({ value: u.id, label: u.name ?? `user ${u.id}` })),
    projects: ids(data?.projectIds, 'Project'),
    tasks: ids(data?.taskIds, 'Task'),
    jobs: ids(data?.jobIds, 'Job'),
    scopes: (data?.scopes ?? []).map((s) => ({ value: s, label: s })),
    sources: (data?.sources ?? ['client', 'server']).map((s) => ({ value: s, label: s })),
  }
  return (
    <div class="filters" role="group" aria-label="Filters">
      {FILTERS.filter((f) => keys.includes(f.key)).map((f) => (
        <MultiSelect
          key={f.key}
          label={f.label}
          options={optionsOf[f.key]}
          selected={listParam(params, f.key)}
          loading={wanted && options.data === undefined}
          onOpen={() => setOpened(true)}
          onChange={(values) => update({ [f.key]: values.join(','), after: null })}
        />
      ))}
    </div>
  )
}
