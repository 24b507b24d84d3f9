/** Scopes a client batch may carry (spec §2): CVAT's current list plus the older names the seed lists. */
export const CLIENT_SCOPES: ReadonlySet<string> = new Set([
  'load:cvat',
  'load:job',
  'save:job',
  'load:workspace',
  'send:exception',
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
  'user:activity',
  // Older names still in the seed document.
  'restore:job',
  'upload:annotations',
  'lock:object',
  'change:attribute',
  'change:label',
  'move:image',
  'press:shortcut',
  'send:task_info',
  'send:debug_info',
])

/** Heartbeats: they feed working time and are never stored. */
export const HEARTBEAT_SCOPE = 'user:activity'

/** Scopes whose `count` says how many objects or repeats the event stands for: at least 1. */
export const COUNTED_SCOPES: ReadonlySet<string> = new Set([
  'delete:object',
  'merge:objects',
  'copy:object',
  'action:undo',
  'action:redo',
  'change:frame',
])

export const WORKING_TIME_SCOPE = 'send:working_time'
export const EXCEPTION_SCOPE = 'send:exception'

/** `action:object`, as every CVAT scope is written. */
export const SCOPE_PATTERN = { regex: /^[a-z_]+:[a-z_]+$/, description: "of the form 'action:object'" }
