import { builder } from '../builder.js'
import { checkFilename, exportDownloadPath } from '../export/filename.js'
import type { ExportView } from '../export/record.js'
import { EventFilterInput, toEventFilter } from './event-filter.js'

export const ExportStatusEnum = builder.enumType('ExportStatus', {
  description: 'Where an export stands.',
  values: {
    QUEUED: { value: 'queued', description: 'Waiting for a free slot (EXPORT_CONCURRENCY, per user too).' },
    RUNNING: { value: 'running', description: 'Being written; rowsWritten and bytesWritten grow.' },
    DONE: { value: 'done', description: 'The file is ready at downloadUrl.' },
    FAILED: { value: 'failed', description: 'It stopped; error says why.' },
    EXPIRED: {
      value: 'expired',
      description: 'The file was deleted (EXPORT_TTL_HOURS after the export ended).',
    },
  } as const,
})

export const ExportFormatEnum = builder.enumType('ExportFormat', {
  values: {
    CSV: {
      value: 'csv',
      description:
        "CVAT's CSV: a header row, then rows by time; CVAT's columns in CVAT's order without remote_addr.",
    },
    JSONL: {
      value: 'jsonl',
      description: 'JSON lines: one object per event, same columns; 64-bit ids as strings.',
    },
  } as const,
})

export const ExportType = builder.objectRef<ExportView>('Export').implement({
  description: 'An export of events to a file, visible to the user who started it only.',
  fields: (t) => ({
    queryId: t.id({ description: "The export's id: CVAT's query_id and rq_id.", resolve: (e) => e.id }),
    status: t.field({ type: ExportStatusEnum, resolve: (e) => e.status }),
    format: t.field({ type: ExportFormatEnum, resolve: (e) => e.format }),
    includeExceptions: t.boolean({
      description: 'Whether send:exception rows are in (CVAT leaves them out).',
      resolve: (e) => e.includeExceptions,
    }),
    from: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'Earliest time exported: as asked, else the first matching event once known; null: nothing matched.',
      resolve: (e) => e.from,
    }),
    to: t.field({
      type: 'DateTime',
      description: 'Latest time exported: as asked, else when it was asked.',
      resolve: (e) => e.to,
    }),
    rowsWritten: t.float({ description: 'Rows written so far.', resolve: (e) => e.rows }),
    rowsPlanned: t.float({
      nullable: true,
      description: 'Rows counted before writing (events arriving meanwhile may add some); null until then.',
      resolve: (e) => e.rowsPlanned,
    }),
    bytesWritten: t.float({ description: 'Bytes of the file written so far.', resolve: (e) => e.bytes }),
    error: t.string({ nullable: true, resolve: (e) => e.error }),
    filename: t.string({
      nullable: true,
      description: 'The attachment name asked for; null: logs_<download time>.<ext>.',
      resolve: (e) => e.filename,
    }),
    downloadUrl: t.string({
      nullable: true,
      description: 'Once DONE: where to GET the file, with the same credentials.',
      resolve: (e) => (e.status === 'done' ? exportDownloadPath(e.id) : null),
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (e) => e.createdAt }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => e.startedAt }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => e.finishedAt }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the file is deleted; set once the export ends.',
      resolve: (e) => e.expiresAt,
    }),
  }),
})

const StartExportPayload = builder.objectRef<ExportView>('StartExportPayload').implement({
  fields: (t) => ({
    queryId: t.id({ resolve: (e) => e.id }),
    export: t.field({ type: ExportType, resolve: (e) => e }),
  }),
})

builder.mutationField('startExport', (t) =>
  t.field({
    type: StartExportPayload,
    description:
      'Starts exporting the events of the filter to a file, in the background (or joins your identical export still running). ' +
      'The filter is checked against the access policy now: FORBIDDEN if it names what you may not see. ' +
      '`to` defaults to now, `from` to the first matching event. Poll `export(queryId)` for the status and the download URL.',
    args: {
      filter: t.arg({ type: EventFilterInput, required: false }),
      format: t.arg({ type: ExportFormatEnum, required: false, defaultValue: 'csv' }),
      includeExceptions: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: 'Keep send:exception rows (also kept when filter.scopes names send:exception).',
      }),
      filename: t.arg.string({ required: false, description: 'The attachment name of the download.' }),
    },
    resolve: (_root, args, ctx) =>
      ctx.exports.start(ctx.access, {
        filter: toEventFilter(args.filter),
        format: args.format ?? 'csv',
        includeExceptions: args.includeExceptions ?? false,
        filename: args.filename == null ? null : checkFilename(args.filename),
      }),
  }),
)

builder.queryField('export', (t) =>
  t.field({
    type: ExportType,
    description: "One of your exports. Anyone else's, or one long expired, is NOT_FOUND.",
    args: { queryId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ctx.exports.get(ctx.access, String(args.queryId)),
  }),
)
