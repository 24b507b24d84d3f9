import type { ExportEngineFormat } from '../store/index.js'

/** An export's file format: CVAT's CSV, or JSON lines (one event object per line). */
export type ExportFormat = ExportEngineFormat

export interface FormatInfo {
  readonly extension: string
  readonly contentType: string
}

export const FORMATS: Readonly<Record<ExportFormat, FormatInfo>> = {
  csv: { extension: 'csv', contentType: 'text/csv; charset=utf-8' },
  // JSONEachRow: 64-bit ids are quoted strings, as everywhere in the API.
  jsonl: { extension: 'jsonl', contentType: 'application/x-ndjson; charset=utf-8' },
}

export const EXPORT_FORMATS = Object.keys(FORMATS) as ExportFormat[]

export function isExportFormat(value: string): value is ExportFormat {
  return Object.hasOwn(FORMATS, value)
}
