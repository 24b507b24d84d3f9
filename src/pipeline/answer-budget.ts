import { responseTooLarge, type AppError } from '../errors.js'

/** What a GraphQL caller is told to do about an answer that is too large. */
export const GRAPHQL_PAGING_HINT =
  'ask for fewer items at a time (a smaller `first`, then the next page with `after`), narrow the filter, ' +
  'or cut large texts with `maxLength` (`objVal(maxLength: 1000)`, `payload(maxLength: 1000)`)'

/**
 * One operation's share of GRAPHQL_MAX_RESPONSE_BYTES, kept in its context. Two counts are held
 * to the limit, each decided before the bytes exist in this process:
 * - `held`: bytes of large texts (obj_name, obj_val, payload) read from the store. A page read is
 *   granted a share first (`grant`), and the store leaves out the texts of rows over it, returning
 *   their stored sizes; texts fetched afterwards are held (`hold`) by those sizes before the fetch.
 * - `answered`: bytes of large texts the resolvers return, counted as they return them (`answer`).
 * The first count past the limit fails the operation: every later call throws the same
 * RESPONSE_TOO_LARGE, and useResponseBytes answers that error alone, without the partial data.
 */
export class AnswerBudget {
  private held = 0
  private reserved = 0
  private answered = 0
  private failure: AppError | undefined

  constructor(
    /** GRAPHQL_MAX_RESPONSE_BYTES; Infinity for an operation that is not held to it. */
    readonly limitBytes: number,
    private readonly hint: string = GRAPHQL_PAGING_HINT,
  ) {}

  /** The error that ended the operation, once a count went past the limit. */
  get exceeded(): AppError | undefined {
    return this.failure
  }

  /** Throws the operation's RESPONSE_TOO_LARGE when it already failed: work for it is wasted. */
  check(): void {
    if (this.failure) throw this.failure
  }

  /**
   * Up to `wantedBytes` of the limit for a read that cannot know its texts' sizes before it runs;
   * hand back what it did not use with `settle`. 0 when nothing is left (texts then come later,
   * through `hold`, or the operation fails there).
   */
  grant(wantedBytes: number): number {
    this.check()
    const available = Math.max(0, this.limitBytes - this.held - this.reserved)
    const granted = Math.min(Math.max(0, wantedBytes), available)
    this.reserved += granted
    return granted
  }

  /** Ends a grant: `usedBytes` (at most the grant) stay held. */
  settle(grantedBytes: number, usedBytes: number): void {
    this.reserved -= grantedBytes
    this.held += Math.min(usedBytes, grantedBytes)
  }

  /** Holds `bytes` of texts about to be read, or fails the operation if they do not fit. */
  hold(bytes: number): void {
    this.check()
    if (this.held + this.reserved + bytes > this.limitBytes) throw this.fail()
    this.held += bytes
  }

  /** Counts `bytes` of a text a resolver returns; fails the operation past the limit. */
  answer(bytes: number): void {
    this.check()
    this.answered += bytes
    if (this.answered > this.limitBytes) throw this.fail()
  }

  /** Starts counting the answer again (each event a subscription pushes is an answer of its own). */
  nextAnswer(): void {
    this.answered = 0
    this.failure = undefined
  }

  /** Fails the operation (the answer as a whole was found too large). */
  fail(): AppError {
    this.failure ??= responseTooLarge(this.limitBytes, this.hint)
    return this.failure
  }
}

/** UTF-8 bytes of a text, as the answer will carry it (JSON escapes aside). */
export function textBytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}
