import { PageHeader } from '../components/page-header'

/** Productivity: waits for the productivity API (Query.productivity, idleGaps, jobFlow). */
export function Productivity() {
  return (
    <>
      <PageHeader title="Productivity" time={false} />
      <div class="state state-empty" data-state="unavailable">
        <p class="state-title">Not available yet</p>
        <p>
          The leaderboard, objects per hour, job flow and idle gaps need the productivity API, which this
          service does not have yet.
        </p>
      </div>
    </>
  )
}
