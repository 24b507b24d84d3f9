import { describe, expect, it } from 'vitest'
import { readCvatParams } from '../../src/export/cvat-params.js'
import { contentDisposition, defaultFilename } from '../../src/export/filename.js'
import type { AppError } from '../../src/errors.js'

const read = (query: string, id?: 'query_id' | 'rq_id') => readCvatParams(new URLSearchParams(query), id)

function fieldOf(query: string): unknown {
  try {
    read(query)
  } catch (error) {
    return (error as AppError).extensions.field
  }
  return undefined
}

describe("readCvatParams (CVAT's export parameters)", () => {
  it('maps the id parameters to the filter, repeated ones to lists', () => {
    expect(read('org_id=7&project_id=1&task_id=11&job_id=101&job_id=102&user_id=13').request.filter).toEqual({
      orgIds: ['7'],
      projectIds: ['1'],
      taskIds: ['11'],
      jobIds: ['101', '102'],
      userIds: ['13'],
      sources: ['client', 'server'],
    })
  })

  it('reads ISO-8601 times with or without offsets, and epoch milliseconds', () => {
    const { filter } = read('from=2024-05-22T18:00:00%2B02:00&to=1716400000000').request
    expect(filter.from).toBe(Date.UTC(2024, 4, 22, 16))
    expect(filter.to).toBe(1716400000000)
    expect(read('from=2024-05-22').request.filter.from).toBe(Date.UTC(2024, 4, 22))
  })

  it('defaults to CSV, no exceptions, no file name, no action', () => {
    expect(read('')).toEqual({
      request: {
        filter: { sources: ['client', 'server'] },
        format: 'csv',
        includeExceptions: false,
        filename: null,
      },
      id: null,
      action: null,
    })
  })

  it('reads the export id from query_id or rq_id, lower-cased', () => {
    const id = 'F0B836BB-FBB2-4B0E-8000-A6848E9BF142'
    expect(read(`query_id=${id}`).id).toBe(id.toLowerCase())
    expect(read(`rq_id=${id}`, 'rq_id').id).toBe(id.toLowerCase())
    expect(read(`rq_id=${id}`).id).toBeNull()
  })

  it.each([
    ['job_id=', undefined],
    ['job_id=x', 'job_id'],
    ['user_id=18446744073709551616', 'user_id'],
    ['from=2024-02-30', 'from'],
    ['to=1716393600', undefined],
    ['from=2024-05-02&to=2024-05-01', 'from'],
    ['action=Download', 'action'],
    ['filename=a%0Ab.csv', 'filename'],
    ['filename=..', 'filename'],
    ['filename=a"b.csv', 'filename'],
    ['include_exceptions=2', 'include_exceptions'],
    ['cloud_storage_id=3', 'cloud_storage_id'],
    ['location=cloud_storage', 'location'],
    ['location=s3', 'location'],
    ['location=local', undefined],
  ])('%s → field %s', (query, field) => {
    expect(fieldOf(query)).toBe(field)
  })
})

describe('attachment names', () => {
  it("defaults to CVAT's logs_<YYYY_MM_DD_HH_MM_SS> in UTC, with the format's extension", () => {
    const at = Date.UTC(2024, 4, 6, 9, 5, 7)
    expect(defaultFilename('csv', at)).toBe('logs_2024_05_06_09_05_07.csv')
    expect(defaultFilename('jsonl', at)).toBe('logs_2024_05_06_09_05_07.jsonl')
  })

  it('adds an RFC 6266 filename* for names that are not ASCII', () => {
    expect(contentDisposition('events.csv')).toBe('attachment; filename="events.csv"')
    expect(contentDisposition('événements.csv')).toBe(
      `attachment; filename="_v_nements.csv"; filename*=UTF-8''%C3%A9v%C3%A9nements.csv`,
    )
  })
})
