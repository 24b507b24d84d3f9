import { parse } from 'csv-parse/sync'
import { vi } from 'vitest'
import { EXPORT_COLUMNS } from '../../src/store/export-read.js'
import type { TestApp } from './app.js'

/**
 * RFC 4180 for assertions (csv-parse, strict): fields separated by commas, records by CRLF (or LF),
 * quoted fields may hold commas, CR, LF and doubled quotes; anything malformed throws, so a broken
 * file fails the test instead of parsing into something plausible.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = parse(text, { record_delimiter: ['\r\n', '\n'], relax_column_count: true })
  return records
}

/** A parsed CSV as objects keyed by its header row. */
export function csvObjects(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [header = [], ...records] = parseCsv(text)
  return {
    header,
    rows: records.map((r) => {
      if (r.length !== header.length)
        throw new Error(`CSV: a record of ${r.length} fields, header has ${header.length}`)
      return Object.fromEntries(header.map((name, i) => [name, r[i] as string]))
    }),
  }
}

/**
 * Generates `count` plausible events in the engine (`INSERT … SELECT … FROM numbers`): four kinds
 * of client scopes in org acme (7) for walt (13) and sue (12), times spread over May 2024 out of
 * order, JSON payloads with commas, quotes and an escaped newline. `obj_val` marks the batch.
 */
export async function generateEvents(
  t: Pick<TestApp, 'app' | 'config' | 'sql'>,
  count: number,
  marker: string,
  step = 500_000,
): Promise<void> {
  const db = t.config.store.database
  for (let start = 0; start < count; start += step) {
    await t.sql.command({
      name: 'test.generate',
      timeoutMs: 300_000,
      sql: `INSERT INTO ${db}.events (scope, obj_name, obj_id, obj_val, source, timestamp, count, duration,
              project_id, task_id, job_id, user_id, user_name, user_email, org_id, org_slug, payload, access_token_id)
            SELECT ['change:frame', 'draw:object', 'zoom:image', 'load:job'][1 + number % 4],
              if(number % 3 = 0, NULL, 'button'), if(number % 2 = 0, NULL, number), {marker:String}, 'client',
              toDateTime64('2024-05-01 00:00:00', 3, 'UTC') + toIntervalMillisecond(cityHash64(number) % 2592000000),
              if(number % 5 = 0, NULL, 1 + number % 10), number % 10000, 1, 11, 101 + number % 2,
              if(number % 2 = 0, 13, 12), if(number % 2 = 0, 'walt', 'sue'),
              if(number % 2 = 0, 'walt@acme.test', 'sue@acme.test'), 7, 'acme',
              concat('{"request":{"id":"', toString(generateUUIDv4()), '","user_agent":"Mozilla/5.0 (X11; Linux x86_64)"},',
                '"frame":', toString(number % 1000), ',"note":"a, \\\\"quoted\\\\" word\\\\nand a line"}'),
              if(number % 10 = 0, 42, NULL)
            FROM numbers({start:UInt64}, {count:UInt64})`,
      params: { marker, start, count: Math.min(step, count - start) },
    })
  }
}

/**
 * What an export of `where` must hold, read from the engine directly: CVAT's columns in order,
 * rows by (timestamp, event_id), NULL as an empty field, as the CSV parser returns them.
 */
export async function expectedRecords(
  t: TestApp,
  where: string,
  params: Record<string, unknown> = {},
): Promise<string[][]> {
  const rows = await t.sql.rows<Record<string, unknown>>({
    name: 'test.expected_export',
    sql: `SELECT ${EXPORT_COLUMNS.join(', ')} FROM ${t.config.store.database}.events
          WHERE ${where} ORDER BY timestamp, event_id`,
    params,
  })
  return rows.map((row) =>
    EXPORT_COLUMNS.map((column) => (row[column] === null ? '' : String(row[column] as string | number))),
  )
}

/** Polls `GET path` (adding query_id) while it answers 202; returns the first other answer. */
export async function pollExport(
  t: TestApp,
  path: string,
  headers: Record<string, string>,
  timeoutMs = 20_000,
): Promise<Response> {
  return vi.waitFor(
    async () => {
      const res = await t.request('GET', path, { headers })
      if (res.status !== 202) return res
      await res.body?.cancel()
      throw new Error(`${path} is still running after ${timeoutMs} ms`)
    },
    { timeout: timeoutMs, interval: 20 },
  )
}

/** Starts a CVAT-flow export (`GET /api/events?…`) and waits until it is no longer running. */
export async function exportViaRest(
  t: TestApp,
  query: string,
  headers: Record<string, string>,
  timeoutMs?: number,
): Promise<{ queryId: string; status: Response; download: () => Promise<Response> }> {
  const start = await t.request('GET', `/api/events?${query}`, { headers })
  if (start.status !== 202) throw new Error(`export did not start: ${start.status} ${await start.text()}`)
  const { query_id: queryId } = (await start.json()) as { query_id: string }
  const sep = query === '' ? '' : '&'
  const status = await pollExport(t, `/api/events?${query}${sep}query_id=${queryId}`, headers, timeoutMs)
  const download = () =>
    t.request('GET', `/api/events?${query}${sep}query_id=${queryId}&action=download`, { headers })
  return { queryId, status, download }
}
