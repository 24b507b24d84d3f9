import type { EventRecord } from '../domain/event.js'
import { COUNT_MAX, DURATION_MAX, type FieldReader } from './fields.js'

/** The columns of a full event row that every sender's row carries as given. */
export type RowColumns = Omit<EventRecord, 'eventId' | 'scope' | 'source' | 'timestampMs' | 'payload'>

/**
 * Reads a full event row's columns as given (server events, CVAT's logger): ids, identity, counts
 * and addresses. Scope, source, time and payload are each path's own business (a trusted host's
 * request id is merged into its payload; CVAT's logger payload is kept byte for byte).
 */
export function readRowColumns(f: FieldReader): RowColumns {
  return {
    objName: f.text('obj_name'),
    objId: f.id('obj_id'),
    objVal: f.text('obj_val'),
    count: f.integer('count', 0, COUNT_MAX),
    duration: f.integer('duration', 0, DURATION_MAX) ?? 0,
    projectId: f.id('project_id'),
    taskId: f.id('task_id'),
    jobId: f.id('job_id'),
    userId: f.id('user_id'),
    userName: f.text('user_name'),
    userEmail: f.text('user_email'),
    orgId: f.id('org_id'),
    orgSlug: f.text('org_slug'),
    accessTokenId: f.id('access_token_id'),
    remoteAddr: f.text('remote_addr'),
  }
}
