import { nextAlertVersion } from './alert-version.js'
import type { Engine } from './engine.js'

/**
 * An alert rule as the store keeps it: the columns reads select on, and the whole rule as JSON
 * (its shape is the alert service's, src/alerts/rule.ts). `orgId` '' is a rule over every
 * organization.
 */
export interface AlertRuleRow {
  readonly id: string
  readonly orgId: string
  readonly document: string
}

/** An evaluator's conclusion about one rule, as JSON (src/alerts/state.ts). */
export interface AlertStateRow {
  readonly ruleId: string
  readonly document: string
}

const ACTIVE = 'active'
/** A rule's last version says this when it was deleted: it hides every earlier one. */
const DELETED = 'deleted'

/** Records the current settings of a rule (a new version of its row). */
export async function saveAlertRule(engine: Engine, row: AlertRuleRow): Promise<void> {
  await engine.command({
    name: 'alerts.save_rule',
    sql: `INSERT INTO ${engine.database}.alert_rules (id, org_id, status, document, version)
          VALUES ({id:String}, {org:String}, '${ACTIVE}', {document:String}, {version:UInt64})`,
    params: { id: row.id, org: row.orgId, document: row.document, version: nextAlertVersion() },
  })
}

/** Deletes a rule: its latest version says so. */
export async function deleteAlertRule(engine: Engine, id: string): Promise<void> {
  await engine.command({
    name: 'alerts.delete_rule',
    sql: `INSERT INTO ${engine.database}.alert_rules (id, org_id, status, document, version)
          VALUES ({id:String}, '', '${DELETED}', '', {version:UInt64})`,
    params: { id, version: nextAlertVersion() },
  })
}

/**
 * The rules that exist, by their latest version: all of them, or those of some organizations
 * ('' for the rules over every organization), or those of some ids; oldest first.
 */
export async function listAlertRules(
  engine: Engine,
  selection: { readonly orgIds?: readonly string[]; readonly ids?: readonly string[] } = {},
): Promise<AlertRuleRow[]> {
  const where = [`status = '${ACTIVE}'`]
  if (selection.orgIds) where.push('org_id IN {orgs:Array(String)}')
  if (selection.ids) where.push('id IN {ids:Array(String)}')
  // FINAL first, then the filter: a rule matches by its latest version only.
  const rows = await engine.rows<{ id: string; org_id: string; document: string }>({
    name: 'alerts.list_rules',
    sql: `SELECT id, org_id, document FROM (SELECT * FROM ${engine.database}.alert_rules FINAL)
          WHERE ${where.join(' AND ')} ORDER BY version`,
    params: {
      ...(selection.orgIds ? { orgs: [...selection.orgIds] } : {}),
      ...(selection.ids ? { ids: [...selection.ids] } : {}),
    },
  })
  return rows.map((r) => ({ id: r.id, orgId: r.org_id, document: r.document }))
}

/** Records what the evaluator concluded about some rules (a new version of each state), in one insert. */
export async function saveAlertStates(engine: Engine, rows: readonly AlertStateRow[]): Promise<void> {
  if (rows.length === 0) return
  await engine.insert({
    name: 'alerts.save_states',
    table: `${engine.database}.alert_states`,
    columns: ['rule_id', 'document', 'version'],
    format: 'JSONEachRow',
    body: rows
      .map((r) => JSON.stringify({ rule_id: r.ruleId, document: r.document, version: nextAlertVersion() }))
      .join('\n'),
  })
}

/** The latest state of each of these rules (rules never evaluated have none). */
export async function listAlertStates(engine: Engine, ruleIds: readonly string[]): Promise<AlertStateRow[]> {
  if (ruleIds.length === 0) return []
  const rows = await engine.rows<{ rule_id: string; document: string }>({
    name: 'alerts.list_states',
    sql: `SELECT rule_id, document FROM ${engine.database}.alert_states FINAL
          WHERE rule_id IN {rules:Array(String)}`,
    params: { rules: [...ruleIds] },
  })
  return rows.map((r) => ({ ruleId: r.rule_id, document: r.document }))
}
