import { badInput } from '../errors.js'
import { FORMATS, type ExportFormat } from './formats.js'

const pad = (n: number) => String(n).padStart(2, '0')

/** CVAT's default attachment name, `logs_<YYYY_MM_DD_HH_MM_SS>.csv`, from the request time (UTC). */
export function defaultFilename(format: ExportFormat, atMs: number): string {
  const d = new Date(atMs)
  const stamp = [d.getUTCFullYear(), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())].join('_')
  const time = [pad(d.getUTCHours()), pad(d.getUTCMinutes()), pad(d.getUTCSeconds())].join('_')
  return `logs_${stamp}_${time}.${FORMATS[format].extension}`
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const UNSAFE = /[\u0000-\u001f\u007f/\\"]/

/**
 * Checks a file name asked for by a client: a plain name (no directories, no control characters,
 * no quotes or backslashes, which would need escaping in a header), at most 255 characters.
 */
export function checkFilename(name: string, field = 'filename'): string {
  if (name.length === 0 || name.length > 255 || UNSAFE.test(name) || /^\.+$/.test(name)) {
    throw badInput(
      `${field}: '${name}' is not a plain file name (1-255 characters, no slashes, quotes or control characters)`,
      { field },
    )
  }
  return name
}

/**
 * `attachment; filename="<name>"` as CVAT sends it, plus RFC 6266's `filename*` when the name is
 * not ASCII (the plain parameter then carries an ASCII fallback).
 */
export function contentDisposition(name: string): string {
  const ascii = /^[\u0020-\u007e]*$/.test(name)
  if (ascii) return `attachment; filename="${name}"`
  const fallback = name.replace(/[^\u0020-\u007e]/g, '_')
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/** Where an export's file is downloaded: the `result_url` of CVAT's newer flow, and GraphQL's `downloadUrl`. */
export const exportDownloadPath = (id: string) => `/api/events/download?rq_id=${encodeURIComponent(id)}`
