/**
 * Fixed lists the simulated world is drawn from. Usernames come from FIRST_NAMES by position, not
 * by chance, so demo accounts are the same for every seed and easy to recognise (`amara.k`).
 */

export const FIRST_NAMES = [
  'amara', 'bruno', 'chen', 'dana', 'emeka', 'farah', 'goran', 'hana', 'ivan', 'jia',
  'kofi', 'lena', 'mateo', 'nadia', 'omar', 'priya', 'quinn', 'rosa', 'sanjay', 'tara',
  'uma', 'viktor', 'wen', 'ximena', 'yusuf', 'zoe', 'aiko', 'bilal', 'carmen', 'dmitri',
  'elif', 'felix', 'greta', 'hugo', 'ines', 'jonas', 'kira', 'luca', 'mei', 'nikolai',
  'olga', 'pablo', 'rania', 'sven', 'tomas', 'valentina', 'wiktor', 'yara', 'zeynep', 'arjun',
] as const // prettier-ignore

export const LAST_INITIALS = 'kmrstbnlvdgphcw'

/** Organizations with the UTC offset (minutes) of their office: teams in several time zones. */
export const ORGANIZATIONS = [
  { slug: 'northwind', name: 'Northwind Vision', utcOffsetMinutes: 60 },
  { slug: 'lakeside', name: 'Lakeside Robotics', utcOffsetMinutes: -300 },
  { slug: 'indigo', name: 'Indigo Labelling', utcOffsetMinutes: 330 },
  { slug: 'kestrel', name: 'Kestrel Maps', utcOffsetMinutes: 0 },
  { slug: 'sakura', name: 'Sakura Autonomy', utcOffsetMinutes: 540 },
  { slug: 'pampas', name: 'Pampas Agro AI', utcOffsetMinutes: -180 },
  { slug: 'fjord', name: 'Fjord Medical', utcOffsetMinutes: 120 },
  { slug: 'monsoon', name: 'Monsoon Retail', utcOffsetMinutes: 480 },
] as const

/** What a project annotates decides the shapes drawn and the annotation scopes saved. */
export type ProjectKind = 'boxes' | 'polygons' | 'video' | 'tags'

export const PROJECT_TEMPLATES: readonly { name: string; kind: ProjectKind; labels: readonly string[] }[] = [
  { name: 'Street scenes', kind: 'boxes', labels: ['car', 'pedestrian', 'cyclist', 'bus', 'traffic light'] },
  { name: 'Warehouse shelves', kind: 'polygons', labels: ['box', 'pallet', 'label', 'gap'] },
  { name: 'Drone footage', kind: 'video', labels: ['vehicle', 'person', 'boat'] },
  { name: 'Product photos', kind: 'tags', labels: ['in stock', 'damaged', 'mislabelled', 'unclear'] },
  { name: 'Crop rows', kind: 'polygons', labels: ['crop', 'weed', 'soil'] },
  { name: 'Dashcam night', kind: 'video', labels: ['car', 'truck', 'pedestrian'] },
  { name: 'X-ray screening', kind: 'boxes', labels: ['fracture', 'implant', 'artifact'] },
  { name: 'Satellite tiles', kind: 'polygons', labels: ['building', 'road', 'water', 'forest'] },
]

export const SHAPES_OF: Record<ProjectKind, readonly string[]> = {
  boxes: ['rectangle', 'rectangle', 'rectangle', 'points'],
  polygons: ['polygon', 'polygon', 'polyline', 'mask'],
  video: ['rectangle', 'rectangle', 'ellipse'],
  tags: ['tag'],
}

/** Browsers as CVAT's `platformInfo()` reports them, with a user agent that matches. */
export const PLATFORMS = [
  {
    weight: 46,
    platform: { name: 'Chrome', version: '126.0.6478.127', os: 'Windows 10 64-bit', engine: 'Blink' },
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  },
  {
    weight: 14,
    platform: { name: 'Chrome', version: '126.0.6478.126', os: 'OS X 14.5', engine: 'Blink' },
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  },
  {
    weight: 8,
    platform: { name: 'Chrome', version: '125.0.6422.141', os: 'Linux 64', engine: 'Blink' },
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
  },
  {
    weight: 12,
    platform: { name: 'Firefox', version: '127.0', os: 'Ubuntu 64', engine: 'Gecko' },
    userAgent: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  },
  {
    weight: 6,
    platform: { name: 'Firefox', version: '127.0', os: 'Windows 10 64-bit', engine: 'Gecko' },
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  },
  {
    weight: 9,
    platform: { name: 'Microsoft Edge', version: '126.0.2592.87', os: 'Windows 10 64-bit', engine: 'Blink' },
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
  },
  {
    weight: 5,
    platform: { name: 'Safari', version: '17.5', os: 'OS X 14.5', engine: 'WebKit' },
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  },
] as const

export type Platform = (typeof PLATFORMS)[number]

/** Client-side errors of the kind CVAT's UI reports with `send:exception`. */
export const EXCEPTIONS = [
  {
    message: "TypeError: Cannot read properties of undefined (reading 'points')",
    filename: 'https://cvat.example.com/assets/cvat-ui.min.js',
    line: 2,
    column: 418733,
    stack:
      "TypeError: Cannot read properties of undefined (reading 'points')\n    at e.updateObjects (cvat-ui.min.js:2:418733)\n    at e.render (cvat-ui.min.js:2:402115)",
  },
  {
    message: 'Could not fetch requested frame: the request timed out',
    filename: 'https://cvat.example.com/assets/cvat-core.min.js',
    line: 1,
    column: 90412,
    stack:
      'Error: Could not fetch requested frame\n    at FrameDecoder.request (cvat-core.min.js:1:90412)\n    at async getFrame (cvat-core.min.js:1:88120)',
  },
  {
    message: 'ServerError: Request failed with status code 504. "Gateway Timeout"',
    filename: 'https://cvat.example.com/assets/cvat-core.min.js',
    line: 1,
    column: 51207,
    stack:
      'ServerError: Request failed with status code 504\n    at generateError (cvat-core.min.js:1:51207)\n    at async saveAnnotations (cvat-core.min.js:1:160733)',
  },
  {
    message: 'ResizeObserver loop completed with undelivered notifications.',
    filename: 'https://cvat.example.com/assets/cvat-ui.min.js',
    line: 2,
    column: 1022,
    stack: 'Error: ResizeObserver loop completed with undelivered notifications.',
  },
] as const

/** Buttons whose clicks CVAT records (`click:element`, text as shown). */
export const BUTTONS = ['Save', 'Menu', 'Filters', 'Fullscreen', 'Info', 'Undo', 'Redo', 'Open task'] as const
