import type { Measurement } from './evaluate.js'
import type { AlertRule } from './rule.js'

/** The dashboards of grafana/dashboards/ a notification links to, by their uid. */
const MONITORING = 'aa-monitoring'
const ALL_EVENTS = 'aa-all-events'
const HOUR = 3_600_000

/**
 * A link to the events behind a notification, in the Grafana of `base` (ALERT_LINK_URL): the
 * Monitoring dashboard for exceptions, All events otherwise, over the time that shows what
 * happened (the window, and the one before it for spikes and silences) with the rule's
 * organization and filter as the dashboard's variables. null for the quarantine, which no
 * dashboard shows (the `quarantine` query does).
 */
export function alertLink(base: string, rule: AlertRule, at: number, m: Measurement | null): string | null {
  if (rule.kind === 'quarantine') return null
  const windowMs = rule.windowMinutes * 60_000
  const exceptions = rule.kind === 'exception_spike' || rule.kind === 'new_exception_group'
  let from = at - windowMs
  if (rule.kind === 'exception_spike' || rule.kind === 'no_events') from = at - 2 * windowMs
  const jobs = [...(rule.filter.jobIds ?? [])]
  if (rule.kind === 'idle_job' && m?.jobs && m.jobs.length > 0) {
    // The idle jobs' last hour of work, up to now.
    from = Math.min(...m.jobs.map((j) => j.lastActivityMs)) - HOUR
    if (jobs.length === 0) jobs.push(...m.jobs.map((j) => j.jobId))
  }
  const query = new URLSearchParams({ from: String(from), to: String(at) })
  if (rule.orgSlug) query.append('var-org', rule.orgSlug)
  const variables: [string, readonly string[] | undefined][] = [
    ['users', rule.filter.userIds],
    ['projects', rule.filter.projectIds],
    ['tasks', rule.filter.taskIds],
    ['jobs', jobs],
    ['scopes', rule.filter.scopes],
    ['sources', rule.filter.sources],
  ]
  for (const [name, values] of variables) for (const value of values ?? []) query.append(`var-${name}`, value)
  return `${base.replace(/\/+$/, '')}/d/${exceptions ? MONITORING : ALL_EVENTS}?${query.toString()}`
}
