import type { Engine } from './engine.js'

/** The holder of a lease's latest term, and until when (epoch ms) it holds it. */
export interface LeaseTerm {
  readonly term: number
  readonly holder: string
  readonly expiresAtMs: number
}

/**
 * The latest term of a lease: the highest term anyone claimed, won by its earliest claim (the
 * engine's clock orders claims; the holder's name breaks a tie). Undefined when never claimed.
 */
export async function currentLeaseTerm(engine: Engine, name: string): Promise<LeaseTerm | undefined> {
  // Aliases unlike the columns: an alias named as a column would stand for it in the other aggregate.
  const [row] = await engine.rows<{ term: string; winner: string; expires_ms: string }>({
    name: 'alerts.lease_term',
    sql: `SELECT term, argMin(holder, (claimed_at, holder)) AS winner,
            toUnixTimestamp64Milli(argMin(expires_at, (claimed_at, holder))) AS expires_ms
          FROM ${engine.database}.alert_leases
          WHERE name = {name:String}
            AND term = (SELECT max(term) FROM ${engine.database}.alert_leases WHERE name = {name:String})
          GROUP BY term`,
    params: { name },
  })
  return row && { term: Number(row.term), holder: row.winner, expiresAtMs: Number(row.expires_ms) }
}

/** Claims a term of a lease until `expiresAtMs`; whether the claim won is read back with currentLeaseTerm. */
export async function claimLeaseTerm(engine: Engine, name: string, claim: LeaseTerm): Promise<void> {
  await engine.command({
    name: 'alerts.lease_claim',
    sql: `INSERT INTO ${engine.database}.alert_leases (name, term, holder, expires_at)
          VALUES ({name:String}, {term:UInt64}, {holder:String}, fromUnixTimestamp64Milli({expires:Int64}, 'UTC'))`,
    params: { name, term: claim.term, holder: claim.holder, expires: claim.expiresAtMs },
  })
}
