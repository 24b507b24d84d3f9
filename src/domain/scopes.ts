/**
 * The scopes the service itself gives meaning to, each spelled once. (What a client may send is
 * CVAT's list, in ingest/scopes.ts.)
 */

/** CVAT's UI heartbeat: it feeds working time and is never stored as an event. */
export const HEARTBEAT_SCOPE = 'user:activity'

/** The server event that carries a batch's working time for a job (CVAT's rule). */
export const WORKING_TIME_SCOPE = 'send:working_time'

/** An error, from a client's page or from a server (ours included); grouped into exception groups. */
export const EXCEPTION_SCOPE = 'send:exception'
