/** The largest value of ClickHouse's UInt64, the type of every id column (CVAT's ids). */
export const UINT64_MAX = 18446744073709551615n

const DIGITS = /^\d{1,20}$/

/**
 * The one reader of ids: a UInt64 as a canonical decimal string (no leading zeros), or undefined
 * when `value` is not one. Numbers must be safe integers (ids past 2^53 travel as strings);
 * strings must be plain decimal digits within UInt64.
 */
export function parseId(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined
  if (typeof value !== 'string' || !DIGITS.test(value)) return undefined
  const id = BigInt(value)
  return id <= UINT64_MAX ? id.toString() : undefined
}
