import { EXCEPTION_SCOPE, HEARTBEAT_SCOPE } from '../domain/scopes.js'

/**
 * The scopes a client batch may carry: the one list of them, following CVAT's server.
 *
 * Source: cvat-ai/cvat develop (2025), `cvat/apps/events/serializers.py`,
 * `ClientEventsSerializer.ALLOWED_SCOPES` in its form keyed by source (`{"client": frozenset(...)}`),
 * with `user:activity` (`cvat/apps/events/const.py` `USER_ACTIVITY_SCOPE`, cvat-core's
 * `EventScope.userActivity` heartbeat) and without the four names CVAT marked "TODO: remove in
 * next releases"; cvat-core's `EventScope` enum is the same list. CVAT answers 400 to a client event whose scope is not in the list
 * of its source; its only source is `client`, so a client event claiming `"source": "server"` is
 * refused too (see client-batch.ts).
 *
 * To follow a newer CVAT, edit these two lists (and say which CVAT they follow).
 */
export const CVAT_CLIENT_SCOPES_VERSION = "CVAT develop 2025 (serializers.py ALLOWED_SCOPES['client'])"

/** Scopes CVAT's server accepts from its UI today: cvat-core's `EventScope`, heartbeat included. */
export const CLIENT_SCOPES: ReadonlySet<string> = new Set([
  'load:cvat',
  'load:job',
  'save:job',
  'load:workspace',
  EXCEPTION_SCOPE,
  'draw:object',
  'paste:object',
  'copy:object',
  'propagate:object',
  'drag:object',
  'resize:object',
  'delete:object',
  'merge:objects',
  'split:objects',
  'group:objects',
  'slice:object',
  'join:objects',
  'change:frame',
  'zoom:image',
  'fit:image',
  'rotate:image',
  'action:undo',
  'action:redo',
  'run:annotations_action',
  'click:element',
  'debug:info',
  HEARTBEAT_SCOPE,
])

/**
 * Scopes older CVATs took from clients and current CVAT refuses (400, like an unknown scope): the
 * seed document still lists them. The note says when CVAT dropped them, for the error message.
 */
export const RETIRED_CLIENT_SCOPES: ReadonlyMap<string, string> = new Map([
  // In CVAT's flat list of client scopes; left out when the list became per source.
  ['restore:job', 'dropped when the list became per source'],
  ['send:task_info', 'dropped when the list became per source'],
  // Kept a while longer, marked "TODO: remove in next releases", then removed.
  ['upload:annotations', 'marked for removal, then removed'],
  ['lock:object', 'marked for removal, then removed'],
  ['change:attribute', 'marked for removal, then removed'],
  ['change:label', 'marked for removal, then removed'],
  // CVAT 1.x names (the old cvat-ui logger); CVAT 2's server never accepted them.
  ['move:image', 'a CVAT 1.x name'],
  ['press:shortcut', 'a CVAT 1.x name'],
  ['send:debug_info', "a CVAT 1.x name (CVAT 2 sends 'debug:info')"],
])

/** Why a client may not send `scope`, or null when it may. */
export function clientScopeProblem(scope: string): string | null {
  if (CLIENT_SCOPES.has(scope)) return null
  const retired = RETIRED_CLIENT_SCOPES.get(scope)
  if (retired !== undefined) {
    return `'${scope}' is no longer accepted from a client by CVAT (${retired}; we follow ${CVAT_CLIENT_SCOPES_VERSION})`
  }
  return `'${scope}' is not allowed from a client`
}

/** Scopes whose `count` says how many objects or repeats the event stands for: at least 1. */
export const COUNTED_SCOPES: ReadonlySet<string> = new Set([
  'delete:object',
  'merge:objects',
  'copy:object',
  'action:undo',
  'action:redo',
  'change:frame',
])

/** `action:object`, as every CVAT scope is written. */
export const SCOPE_PATTERN = { regex: /^[a-z_]+:[a-z_]+$/, description: "of the form 'action:object'" }
