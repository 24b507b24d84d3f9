/**
 * Event times arrive in three shapes, all UTC:
 * - ISO-8601 text (`2024-05-22T16:00:00.123Z`, offsets allowed; no offset means UTC; an offset is
 *   at most ±14:00 with minutes below 60, as real time zones are, see timeOffsetProblem),
 * - epoch milliseconds as a JSON number (`1716393600123`, what JavaScript and Grafana send),
 * - epoch seconds as a decimal string (`"1716393600.123456"`, what CVAT's server logger writes).
 * Results are whole milliseconds; anything outside 2000–2099 is rejected, which also catches
 * epoch seconds sent as a number (they would land in 1970). For times an absolute clock gave:
 * a client's own clock, corrected later, is read by parseInstant.
 */
export function parseTimestamp(value: unknown): number | undefined {
  const ms = parseInstant(value)
  return ms !== undefined && ms >= MIN_MS && ms < STORABLE.toMs ? ms : undefined
}

/**
 * A time in any of the three shapes, whatever its year (a browser's clock may be decades off:
 * its times only mean something once corrected by the batch's own send time, as CVAT does).
 */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value === 'number') {
    const ms = Math.floor(value)
    return Math.abs(ms) <= MAX_DATE_MS ? ms : undefined
  }
  if (typeof value !== 'string') return undefined
  return EPOCH_SECONDS.test(value) ? fromEpochSeconds(value) : fromIso(value)
}

/** Human description of the accepted shapes, for error messages. */
export const TIMESTAMP_FORMATS = 'an ISO-8601 time, epoch milliseconds, or epoch seconds as a string'

const MIN_MS = Date.UTC(2000, 0, 1)
/** The largest distance from 1970 a JavaScript Date holds (ECMA-262: 10^8 days). */
export const MAX_DATE_MS = 8.64e15

/**
 * The times the store holds, [fromMs, toMs): from 1970 (CVAT's own pipeline cannot store earlier
 * ones either: ClickHouse refuses its negative epoch seconds) to the end of 2099 (the rollups
 * count in DateTime cells, which end in 2106).
 */
export const STORABLE = { fromMs: 0, toMs: Date.UTC(2100, 0, 1) } as const
const EPOCH_SECONDS = /^\d{9,11}(\.\d+)?$/
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i

function fromEpochSeconds(text: string): number {
  const [whole = '0', fraction = ''] = text.split('.')
  // Integer arithmetic on the parts: parseFloat would round 1716393600.123 to ...600.1229999.
  return Number(whole) * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3))
}

// The shape JavaScript clients send (toISOString): parsed natively, which is 3x faster.
const CANONICAL = /^\d{4}-(\d{2})-(\d{2})T(\d{2}):\d{2}:\d{2}(?:\.\d{1,9})?Z$/

function fromIso(text: string): number | undefined {
  const canonical = CANONICAL.exec(text)
  // Date.parse rolls Feb 30 over to March and takes hour 24, so only days up to 28 skip the full check.
  if (canonical && Number(canonical[2]) <= 28 && canonical[3] !== '24') {
    const ms = Date.parse(text)
    if (!Number.isNaN(ms)) return ms
  }
  const m = ISO.exec(text.trim())
  if (!m) return undefined
  const [year, month, day, hour = 0, minute = 0, second = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(
    (part) => (part === undefined ? undefined : Number(part)),
  ) as [number, number, number, number?, number?, number?]
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3))
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  if (date.getUTCDate() !== day) return undefined
  const offset = offsetMinutes(m[8])
  if (offset === undefined) return undefined
  date.setUTCHours(hour, minute, second, millis)
  return date.getTime() - offset * 60_000
}

/** The furthest any time zone is from UTC (Kiribati is +14:00, Baker Island -12:00). */
export const MAX_OFFSET_MINUTES = 14 * 60

/** An offset in minutes east of UTC; undefined when it is not one (minutes of 60 or more, past ±14:00). */
function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0
  const sign = zone.startsWith('-') ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = Number(digits.slice(2, 4) || '0')
  const total = hours * 60 + minutes
  return minutes < 60 && total <= MAX_OFFSET_MINUTES ? sign * total : undefined
}

/**
 * Why a time's UTC offset is refused, for error messages (undefined when the text has no offset,
 * or a valid one): an offset is at most ±14:00, and its minutes are below 60.
 */
export function timeOffsetProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const zone = ISO.exec(value.trim())?.[8]
  if (zone === undefined || offsetMinutes(zone) !== undefined) return undefined
  return `its UTC offset ${zone} is not one: offsets are from -14:00 to +14:00, with minutes below 60`
}

/**
 * The `YYYY-MM-DDTHH:MM:` prefix of recent minutes. Events come in runs within a minute, and time
 * series repeat the same bucket starts once per series (400 users × 168 hours on one chart):
 * a full toISOString per value was a tenth of such an answer's time.
 */
const minutePrefixes = new Map<number, string>()
const MAX_MINUTE_PREFIXES = 20_000

/** ISO-8601 in UTC with milliseconds, the one output shape for times. */
export function formatTimestamp(ms: number): string {
  const minute = Math.floor(ms / 60_000)
  let prefix = minutePrefixes.get(minute)
  if (prefix === undefined) {
    const iso = new Date(minute * 60_000).toISOString()
    // Years outside 0000–9999 have a longer form: no prefix to share.
    if (iso.length !== 24) return new Date(ms).toISOString()
    if (minutePrefixes.size >= MAX_MINUTE_PREFIXES) minutePrefixes.clear()
    prefix = iso.slice(0, 17)
    minutePrefixes.set(minute, prefix)
  }
  const withinMinute = ms - minute * 60_000
  const seconds = Math.floor(withinMinute / 1000)
  const millis = withinMinute - seconds * 1000
  return `${prefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`
}
