import type { CvatIdentity } from './cvat/identity.js'

/** Where a principal's identity came from: `viewer` shows it, and the rules differ by it. */
export type IdentitySource =
  | { readonly kind: 'accounts-file' }
  | {
      readonly kind: 'cvat'
      /** What CVAT resolved: privilege (possibly null), superuser, memberships, credential kind. */
      readonly identity: CvatIdentity
      /** When CVAT last confirmed it (a cached identity is at most the TTL old, plus grace in outages). */
      readonly confirmedAtMs: number
      /**
       * Until when the identity is trusted without asking CVAT again: a long-lived connection (a
       * live subscription) re-authenticates its credentials then (see revalidation.ts).
       */
      readonly freshUntilMs: number
    }

/** The source of every principal the accounts file authenticates. */
export const ACCOUNTS_FILE: IdentitySource = Object.freeze({ kind: 'accounts-file' })
