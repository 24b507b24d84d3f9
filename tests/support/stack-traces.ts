/**
 * Stack traces as browsers and Python print them, for the exception-group tests. Each sample is
 * what `error.stack` (or Python's traceback) gives for one error, with the top frame (function,
 * file) the grouping should find.
 */
export interface StackSample {
  readonly name: string
  readonly message: string
  readonly stack: string
  readonly frame: readonly [fn: string, file: string]
}

export const CHROME: StackSample = {
  name: 'Chrome (V8)',
  message: "Cannot read properties of undefined (reading 'points')",
  stack: [
    "TypeError: Cannot read properties of undefined (reading 'points')",
    '    at ShapeView.updateGeometry (https://app.cvat.ai/assets/cvat-ui.min.4f3a2b1c9d.js:2:181734)',
    '    at async CanvasViewImpl.setupObjects (https://app.cvat.ai/assets/cvat-canvas.min.js?v=2.14.0:1:90211)',
    '    at new Promise (<anonymous>)',
    '    at https://app.cvat.ai/assets/cvat-ui.min.4f3a2b1c9d.js:2:55120',
  ].join('\n'),
  frame: ['ShapeView.updateGeometry', 'https://app.cvat.ai/assets/cvat-ui.min.4f3a2b1c9d.js'],
}

/** V8 with an anonymous first frame and a native one before it (skipped: it has no location). */
export const CHROME_ANONYMOUS: StackSample = {
  name: 'Chrome, anonymous frame',
  message: 'Request failed with status code 502',
  stack: [
    'AxiosError: Request failed with status code 502',
    '    at Array.forEach (<anonymous>)',
    '    at https://cvat.example.com/assets/vendors.8a91c3de.js:18:4410',
    '    at XMLHttpRequest.onloadend (https://cvat.example.com/assets/vendors.8a91c3de.js:18:9021)',
  ].join('\n'),
  frame: ['', 'https://cvat.example.com/assets/vendors.8a91c3de.js'],
}

export const FIREFOX: StackSample = {
  name: 'Firefox (Gecko)',
  message: 'this.annotations is undefined',
  stack: [
    'updateGeometry@https://app.cvat.ai/assets/cvat-ui.min.4f3a2b1c9d.js:2:181734',
    'setupObjects/<@https://app.cvat.ai/assets/cvat-canvas.min.js:1:90211',
    'promise callback*setupObjects@https://app.cvat.ai/assets/cvat-canvas.min.js:1:90100',
    '@https://app.cvat.ai/assets/cvat-ui.min.4f3a2b1c9d.js:2:55120',
    '',
  ].join('\n'),
  frame: ['updateGeometry', 'https://app.cvat.ai/assets/cvat-ui.min.4f3a2b1c9d.js'],
}

/** Firefox's anonymous function: `@file:line:col`. */
export const FIREFOX_ANONYMOUS: StackSample = {
  name: 'Firefox, anonymous frame',
  message: 'NetworkError when attempting to fetch resource.',
  stack:
    '@https://cvat.example.com/assets/cvat-core.min.js:1:2345\nfetchAll@https://cvat.example.com/assets/cvat-core.min.js:1:999\n',
  frame: ['', 'https://cvat.example.com/assets/cvat-core.min.js'],
}

export const SAFARI: StackSample = {
  name: 'Safari (WebKit)',
  message: "undefined is not an object (evaluating 'e.points.length')",
  stack: [
    'forEach@[native code]',
    'updateGeometry@https://app.cvat.ai/assets/cvat-ui.min.4f3a2b1c9d.js:2:181750',
    'setupObjects@https://app.cvat.ai/assets/cvat-canvas.min.js:1:90230',
    'global code@https://app.cvat.ai/index.html:12:7',
  ].join('\n'),
  frame: ['updateGeometry', 'https://app.cvat.ai/assets/cvat-ui.min.4f3a2b1c9d.js'],
}

/** A Django traceback as CVAT's server logs it: the innermost frame is the last `File` line. */
export const DJANGO: StackSample = {
  name: 'Python (Django)',
  message: 'Job matching query does not exist.',
  stack: [
    'Traceback (most recent call last):',
    '  File "/opt/venv/lib/python3.10/site-packages/django/core/handlers/exception.py", line 55, in inner',
    '    response = get_response(request)',
    '  File "/opt/venv/lib/python3.10/site-packages/rest_framework/views.py", line 506, in dispatch',
    '    response = handler(request, *args, **kwargs)',
    '  File "/home/django/cvat/apps/engine/views.py", line 1912, in retrieve',
    '    db_job = Job.objects.get(pk=pk)',
    '  File "/opt/venv/lib/python3.10/site-packages/django/db/models/query.py", line 637, in get',
    '    raise self.model.DoesNotExist(',
    'cvat.apps.engine.models.Job.DoesNotExist: Job matching query does not exist.',
    '',
  ].join('\r\n'),
  frame: ['get', '/opt/venv/lib/python3.10/site-packages/django/db/models/query.py'],
}

/** The service's own fault report (Node's V8, `node:` and file paths). */
export const NODE: StackSample = {
  name: 'Node (V8, server)',
  message: "TypeError: Cannot read properties of null (reading 'orgId')",
  stack: [
    "TypeError: Cannot read properties of null (reading 'orgId')",
    '    at visibility (file:///app/dist/auth/policy.js:24:31)',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  ].join('\n'),
  frame: ['visibility', 'file:///app/dist/auth/policy.js'],
}

export const SAMPLES: readonly StackSample[] = [
  CHROME,
  CHROME_ANONYMOUS,
  FIREFOX,
  FIREFOX_ANONYMOUS,
  SAFARI,
  DJANGO,
  NODE,
]
