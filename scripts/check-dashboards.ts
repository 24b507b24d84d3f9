/**
 * `npm run dashboards:check`: validates every dashboard in grafana/dashboards/ against the
 * provisioned datasource, schema/schema.graphql and schema/operations/ (see scripts/dashboards/check.ts).
 * Exits 1 and lists every problem when there is one.
 */
import { dashboardFiles } from './dashboards/dashboards.js'
import { checkDashboards } from './dashboards/check.js'

const problems = await checkDashboards()
if (problems.length > 0) {
  console.error(`dashboards:check found ${problems.length} problem(s):\n- ${problems.join('\n- ')}`)
  process.exit(1)
}
console.log(`dashboards:check: ${dashboardFiles().length} dashboards are valid`)
