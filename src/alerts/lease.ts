import type { AlertQueries } from '../store/index.js'

/**
 * The evaluation lease: at most one replica evaluates rules and delivers notifications at a time,
 * the one holding it. The store has no compare-and-set, so the lease is a sequence of terms
 * (store/alert-lease.ts): a replica claims the next term when the current one expired, or when
 * it holds it and wants to renew; each term is won by its earliest claim, which every replica
 * reads alike. Only the holder claims while a term runs, so renewals are uncontested; when
 * contenders race for an expired lease, the claim the engine recorded first wins and the others
 * read that they lost. A stopping holder gives the lease up (a claim that expires at once), so
 * another replica takes over at its next attempt; a crashed one is replaced once its term
 * expires (`ttlMs`). Expiry is judged by each replica's clock: replicas' clocks must agree to well
 * within the TTL.
 */
export class EvaluationLease {
  private held: { term: number; expiresAtMs: number } | null = null

  constructor(
    private readonly alerts: Pick<AlertQueries, 'leaseTerm' | 'claimLease'>,
    private readonly options: {
      readonly name: string
      /** This replica's name in the lease, unique per process. */
      readonly holder: string
      readonly ttlMs: number
      readonly now: () => number
    },
  ) {}

  /** Whether this replica holds the lease now, as of its last claim (no store call). */
  get holds(): boolean {
    return this.held !== null && this.options.now() < this.held.expiresAtMs
  }

  /**
   * Holds the lease if it can: renews it when less than half its TTL is left, claims it when it
   * expired. Returns whether this replica holds it.
   */
  async acquire(): Promise<boolean> {
    const { name, holder, ttlMs, now } = this.options
    const at = now()
    if (this.held && this.held.expiresAtMs - at > ttlMs / 2) return true
    const current = await this.alerts.leaseTerm(name)
    if (current && current.holder !== holder && current.expiresAtMs > at) {
      this.held = null
      return false
    }
    const term = (current?.term ?? 0) + 1
    await this.alerts.claimLease(name, { term, holder, expiresAtMs: at + ttlMs })
    const won = await this.alerts.leaseTerm(name)
    this.held = won?.term === term && won.holder === holder ? { term, expiresAtMs: won.expiresAtMs } : null
    return this.held !== null
  }

  /** Gives the lease up, if held, so another replica may take it at once. */
  async release(): Promise<void> {
    if (!this.held) return
    const { name, holder, now } = this.options
    this.held = null
    const current = await this.alerts.leaseTerm(name)
    if (current?.holder !== holder) return
    await this.alerts.claimLease(name, { term: current.term + 1, holder, expiresAtMs: now() })
  }
}
