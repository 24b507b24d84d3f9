/**
 * CVAT's triage of reported errors (its "Users Exceptions" dashboard,
 * docs/cvat-compatibility.md#users-exceptions): which exceptions are left out as expected refusals, and the category each of the others
 * falls in. Messages are compared lower-cased, by substring; the first rule that matches wins, in
 * the order below, so the figures agree with CVAT's dashboard, its quirks included ("DB duplicate
 * key" comes after the integrity rule that already takes its messages; "no media data found" is
 * both left out and an import/export pattern).
 */

/** Messages holding any of these (lower-cased) are expected refusals, not errors to triage. */
export const EXCLUDED_MESSAGE_PATTERNS: readonly string[] = [
  // Authentication and permission refusals.
  'permissiondenied',
  'you do not have permission to perform this action.',
  'authenticationfailed',
  'authentication credentials were not provided',
  // Validation.
  'validationerror:',
  // Not found, or deleted.
  'django.http.response.http404',
  'rest_framework.exceptions.notfound',
  'matches the given query.',
  'cvatdatasetnotfounderror',
  'cloud storage instance was deleted',
  'no media data found',
  // Quotas and throttling.
  'limitreachedexception:',
  'throttled',
  'request failed with status code 429',
  // Not acceptable, method not allowed.
  'rest_framework.exceptions.notacceptable: could not satisfy the request accept header',
  'rest_framework.exceptions.methodnotallowed',
]

/**
 * One way a message matches: every part appears in it (`^part`: it starts with the part).
 * A rule matches when any of its ways does.
 */
export type MessageMatch = readonly string[]

export interface CategoryRule {
  readonly category: string
  /** Only for errors the browser reported (source `client`). */
  readonly clientOnly?: boolean
  readonly matches: readonly MessageMatch[]
}

/** Every way listed matches by one substring of its own. */
const anyOf = (...parts: string[]): MessageMatch[] => parts.map((part) => [part])

/** The category of everything no rule takes. */
export const OTHER_CATEGORY = 'Other / uncategorized'

/** The rules, in CVAT's order of evaluation. */
export const CATEGORY_RULES: readonly CategoryRule[] = [
  { category: 'Network Error', matches: anyOf('network error') },
  { category: '502 Bad Gateway', matches: anyOf('bad gateway') },
  {
    category: 'Webhook delivery errors',
    matches: anyOf('cvat.apps.webhooks.exceptions.webhookdeliveryerror'),
  },
  {
    category: '504 Gateway Timeout',
    matches: anyOf(
      'gateway time-out',
      'gateway timeout',
      '504 gateway',
      'code 504 received',
      'timeout exceeded',
      'request aborted',
      'the request timed out. the cvat server did not respond in time',
    ),
  },
  { category: '500 Server Error', matches: anyOf('server error') },
  { category: 'No available server / service unavailable', matches: anyOf('no available server') },
  { category: 'Redis / kvrocks', matches: anyOf('redis.exceptions', 'kvrocks') },
  {
    category: 'Postgres / DB (operational)',
    matches: anyOf('django.db.utils.operationalerror', 'database system is'),
  },
  {
    category: 'Postgres / DB (integrity)',
    matches: anyOf('integrityerror', 'foreign key constraint', 'unique constraint'),
  },
  {
    category: 'Timeouts / background jobs',
    matches: anyOf('rq.timeouts.jobtimeoutexception', 'takes too long chunks'),
  },
  {
    category: 'JS null/undefined access',
    clientOnly: true,
    matches: anyOf(
      'cannot read properties of',
      "can't access property",
      'objectstate must be provided correct label, got wrong value undefined',
      'cannot set properties of undefined',
    ),
  },
  {
    category: 'JS type/method errors',
    clientOnly: true,
    matches: anyOf('is not a function', 'is not iterable'),
  },
  {
    category: 'JS read-only property assignment',
    clientOnly: true,
    matches: anyOf('setting getter-only property'),
  },
  {
    category: 'Client validation / frame bounds',
    clientOnly: true,
    matches: anyOf('the start frame is out of the job'),
  },
  {
    category: 'Canvas / WebGL / memory',
    clientOnly: true,
    matches: anyOf('canvas', 'webgl', 'createimagebitmap', 'createobjecturl', 'getimagedata'),
  },
  { category: 'React / DOM', clientOnly: true, matches: anyOf('react error', '__reactfiber') },
  { category: 'Debug logging / shapes dump', clientOnly: true, matches: anyOf('^**shapes**', '^**labels**') },
  {
    category: 'JS DOM API / Selectors',
    clientOnly: true,
    matches: anyOf('queryselector', 'not a valid selector'),
  },
  {
    category: 'CVAT-core / Business Logic',
    clientOnly: true,
    matches: anyOf(
      'session has not been initialized yet. call annotations.get() or annotations.clear({ reload: true }) before',
    ),
  },
  {
    category: 'Quotas / size limits',
    matches: anyOf('reached the maximum number of projects', 'cachetoolargedataerror'),
  },
  { category: 'Quotas / size limits (image bomb)', matches: anyOf('decompressionbomberror') },
  {
    category: 'Geometry / annotation rules',
    matches: anyOf(
      'polygon must have at least',
      'all the objects must have the same label',
      'expected only one visible shape per frame',
      'cannot join: not enough valid polygons',
    ),
  },
  {
    category: 'Uniqueness / names / ids',
    matches: anyOf('action name must be unique', 'all label names must be unique'),
  },
  { category: 'Labels not registered', matches: [['label', 'is not registered for this task']] },
  {
    category: 'Attributes invalid value',
    matches: [
      ['trying to save an attribute', 'invalid value'],
      ['spec_id', ' is invalid'],
    ],
  },
  {
    category: 'Unsupported / invalid input',
    matches: anyOf('unsupported media type', 'unknown media type', 'file must be file instance'),
  },
  {
    // CVAT lists these geometry messages after the input rule, under the same category as the first.
    category: 'Geometry / annotation rules',
    matches: anyOf(
      'unexpected type of track',
      'skeleton template must be specified',
      'tried to set wrong number of points for a skeleton',
      'cannot join these polygons: the operation would create a shape with holes',
    ),
  },
  {
    category: 'OS error / file system',
    matches: anyOf('oserror: [errno 36]', 'oserror: [errno 22] invalid argument'),
  },
  {
    category: 'Import/Export / Datumaro',
    matches: anyOf(
      'datumaro.components.errors',
      'annotationexporterror',
      'itemexporterror',
      'repeateditemerror',
      'datumaro.components.contexts.importer._importfail',
      "there is no item named 'project.json' in the archive",
      "there is no item named 'task.json' in the archive",
      'no media data found',
      'no image found',
      'cvat.apps.dataset_manager.bindings.cvatimporterror',
    ),
  },
  { category: 'Cloud storage / file missing', matches: anyOf('cloudstoragemissingerror') },
  { category: 'Invalid image file', matches: anyOf('invalidimageerror', 'unidentifiedimageerror') },
  {
    category: 'Image compression errors',
    matches: anyOf('runtimeerror: exception occurred during compression of image'),
  },
  { category: 'AV / codec errors', matches: anyOf('av.error') },
  {
    category: 'File not found / missing file',
    matches: anyOf('filenotfounderror: [errno 2] no such file or directory', 'manifest.jsonl'),
  },
  {
    category: 'Cloud storage / file not found',
    matches: anyOf('not found on the cloud storage', 'resource ali-'),
  },
  { category: 'Cloud storage / config error', matches: anyOf('trying to use undefined cloud storage') },
  {
    category: 'Concurrent export/import / duplicate request',
    matches: anyOf('already being processed (action='),
  },
  { category: 'DB duplicate key', matches: anyOf('duplicate key value violates unique constraint') },
  { category: 'Redis lock / concurrency', matches: anyOf('locknotownederror') },
]

/** Every category name, once, in rule order, then "Other / uncategorized". */
export const CATEGORIES: readonly string[] = [
  ...new Set([...CATEGORY_RULES.map((r) => r.category), OTHER_CATEGORY]),
]

/** Whether a message is left out (blank, or an expected refusal). */
export function isExcluded(message: string | null): boolean {
  const text = (message ?? '').toLowerCase()
  // Spaces only, as the engine's trimBoth.
  return text.replace(/^ +| +$/g, '') === '' || EXCLUDED_MESSAGE_PATTERNS.some((p) => text.includes(p))
}

/** The category of a kept exception: the first rule that matches its message, else "Other". */
export function categoryOf(message: string, source: string): string {
  const text = message.toLowerCase()
  for (const rule of CATEGORY_RULES) {
    if (rule.clientOnly && source !== 'client') continue
    if (rule.matches.some((way) => way.every((part) => matchesPart(text, part)))) return rule.category
  }
  return OTHER_CATEGORY
}

function matchesPart(text: string, part: string): boolean {
  return part.startsWith('^') ? text.startsWith(part.slice(1)) : text.includes(part)
}
