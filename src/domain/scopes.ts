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

/** CVAT's annotation saves: objects created, updated and deleted (`count` of them per row). */
export const OBJECT_SCOPES: readonly string[] = ['create', 'update', 'delete'].flatMap((action) =>
  ['tags', 'shapes', 'tracks'].map((kind) => `${action}:${kind}`),
)
/** Requests whose objects are not drawn by hand: a dataset import, a model run (automatic annotation). */
export const IMPORT_SCOPE = 'import:dataset'
export const FUNCTION_SCOPE = 'call:function'
/** A job created, and one field of a job changed (one event per field). */
export const JOB_CREATE_SCOPE = 'create:job'
export const JOB_UPDATE_SCOPE = 'update:job'
export const UNDO_SCOPE = 'action:undo'
export const REDO_SCOPE = 'action:redo'
/** The one client event whose duration counts as activity in CVAT's working-time rule. */
export const FRAME_CHANGE_SCOPE = 'change:frame'
