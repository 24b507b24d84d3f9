import { promises as fs } from 'node:fs'
import path from 'node:path'
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../private-files.js'

/** One acknowledged block waiting for the store: serialised rows and their deduplication token. */
export interface SpoolRecord {
  readonly token: string
  readonly body: string
}

const FORMAT_VERSION = 1
const SEGMENT_BYTES = 64 * 1024 * 1024
const SEGMENT = /^segment-(\d{12})\.log$/

/**
 * An append-only log on disk for blocks accepted while the store is unreachable. An append
 * returns only after the data is synced, so a 202 survives a crash. Records replay in append
 * order; the replayed position is kept beside each segment (`.pos`), and a fully replayed segment
 * is deleted. A record the store rejects for good moves to `rejected.log` instead of blocking the
 * rest, so nothing is lost either way.
 */
export class Spool {
  private appendHandle: fs.FileHandle | undefined
  private appendSegment: number | undefined
  private appendSize = 0
  private pending: number

  private constructor(
    private readonly dir: string,
    private segments: number[],
    pending: number,
  ) {
    this.pending = pending
  }

  static async open(dir: string): Promise<Spool> {
    await ensurePrivateDir(dir)
    const segments = (await fs.readdir(dir))
      .map((name) => SEGMENT.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b)
    let pending = 0
    for (const segment of segments) {
      const file = segmentPath(dir, segment)
      await dropTornTail(file)
      const text = await fs.readFile(file, 'utf8')
      const position = await readPosition(dir, segment)
      pending += countLines(text.slice(position))
    }
    return new Spool(dir, segments, pending)
  }

  /** Records appended and not yet replayed. */
  get backlog(): number {
    return this.pending
  }

  async append(record: SpoolRecord): Promise<void> {
    const line = `${JSON.stringify({ v: FORMAT_VERSION, token: record.token, body: record.body })}\n`
    const handle = await this.handleFor(Buffer.byteLength(line))
    await handle.appendFile(line, 'utf8')
    await handle.datasync()
    this.appendSize += Buffer.byteLength(line)
    this.pending += 1
  }

  /**
   * Hands records to `insert` in order. Stops at the first error `isRetryable` accepts (the store
   * is still away) and rethrows it; any other error quarantines that record and goes on.
   */
  async replay(
    insert: (record: SpoolRecord) => Promise<void>,
    isRetryable: (error: unknown) => boolean,
  ): Promise<number> {
    let replayed = 0
    while (this.segments.length > 0) {
      const segment = this.segments[0] as number
      const file = segmentPath(this.dir, segment)
      const content = await fs.readFile(file)
      let position = await readPosition(this.dir, segment)
      while (position < content.length) {
        const end = content.indexOf(0x0a, position)
        if (end < 0) break
        const line = content.subarray(position, end).toString('utf8')
        try {
          await insert(parseRecord(line))
        } catch (error) {
          if (isRetryable(error)) throw error
          await fs.appendFile(path.join(this.dir, 'rejected.log'), `${line}\n`, { mode: PRIVATE_FILE_MODE })
        }
        position = end + 1
        this.pending -= 1
        replayed += 1
        await fs.writeFile(positionPath(this.dir, segment), String(position), { mode: PRIVATE_FILE_MODE })
      }
      await this.retire(segment)
    }
    return replayed
  }

  async close(): Promise<void> {
    await this.appendHandle?.close()
    this.appendHandle = undefined
  }

  private async handleFor(bytes: number): Promise<fs.FileHandle> {
    if (this.appendHandle && this.appendSize + bytes <= SEGMENT_BYTES) return this.appendHandle
    await this.close()
    const segment = (this.segments.at(-1) ?? 0) + 1
    this.appendHandle = await fs.open(segmentPath(this.dir, segment), 'a', PRIVATE_FILE_MODE)
    this.appendSegment = segment
    this.appendSize = 0
    this.segments.push(segment)
    return this.appendHandle
  }

  private async retire(segment: number): Promise<void> {
    if (segment === this.appendSegment) await this.close()
    await fs.rm(segmentPath(this.dir, segment), { force: true })
    await fs.rm(positionPath(this.dir, segment), { force: true })
    this.segments = this.segments.filter((s) => s !== segment)
  }
}

function segmentPath(dir: string, segment: number): string {
  return path.join(dir, `segment-${String(segment).padStart(12, '0')}.log`)
}

function positionPath(dir: string, segment: number): string {
  return `${segmentPath(dir, segment)}.pos`
}

async function readPosition(dir: string, segment: number): Promise<number> {
  try {
    return Number(await fs.readFile(positionPath(dir, segment), 'utf8')) || 0
  } catch {
    return 0
  }
}

/** A crash during an append leaves a line without its newline; it was never acknowledged. */
async function dropTornTail(file: string): Promise<void> {
  const content = await fs.readFile(file)
  const lastNewline = content.lastIndexOf(0x0a)
  if (lastNewline + 1 < content.length) await fs.truncate(file, lastNewline + 1)
}

function countLines(text: string): number {
  let n = 0
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n += 1
  return n
}

function parseRecord(line: string): SpoolRecord {
  const parsed = JSON.parse(line) as { v?: number; token?: string; body?: string }
  if (parsed.v !== FORMAT_VERSION || typeof parsed.token !== 'string' || typeof parsed.body !== 'string') {
    throw new Error(`unsupported spool record (format ${String(parsed.v)})`)
  }
  return { token: parsed.token, body: parsed.body }
}
