import type { EventRecord } from '../domain/event.js'
import { asObject, FieldReader, invalid, type FieldError, type Rejection } from './fields.js'
import { emptyRecord } from './records.js'
import { stampRequest, type RequestContext } from './request-context.js'
import { readRowColumns } from './row-columns.js'
import { SCOPE_PATTERN } from './scopes.js'

export type ServerEventsResult = { readonly ok: true; readonly records: EventRecord[] } | Rejection

const SOURCE_PATTERN = { regex: /^[a-z_]{1,32}$/, description: 'a lower-case word such as server' }

/**
 * Validates full event rows sent by a trusted host application
 * (docs/cvat-compatibility.md#server-events-and-request-ids): identity and ids are taken as given.
 * The request id the event already carries is kept (it ties CVAT's cascades together); events
 * without one get ours.
 */
export function readServerEvents(
  items: readonly unknown[],
  request: RequestContext,
  limits: { readonly maxEvents: number },
): ServerEventsResult {
  if (items.length > limits.maxEvents) {
    const message = `has ${items.length} events; at most ${limits.maxEvents} are accepted per request`
    return { ok: false, problem: 'too-many-events', errors: [{ field: 'events', message }] }
  }
  const errors: FieldError[] = []
  const records: EventRecord[] = []
  items.forEach((item, i) => {
    const object = asObject(item, `[${i}]`, i, errors)
    if (!object) return
    const f = new FieldReader(object, `[${i}]`, i, errors)
    const scope = f.requiredText('scope', SCOPE_PATTERN)
    const source =
      object.source === undefined || object.source === null
        ? 'server'
        : f.requiredText('source', SOURCE_PATTERN)
    const timestampMs = f.timestamp('timestamp')
    const payload = f.payload('payload')
    const record: EventRecord = {
      ...emptyRecord(timestampMs ?? 0),
      scope: scope ?? '',
      source: source ?? 'server',
      payload: payload === undefined ? null : stampRequest(payload, request, true),
      ...readRowColumns(f),
    }
    records.push(record)
  })
  return errors.length > 0 ? invalid(errors) : { ok: true, records }
}
