import { promises as fs } from 'node:fs'
import path from 'node:path'
import { SpoolUnavailableError } from '../errors.js'
import { diskProblemOf } from '../files/disk-errors.js'
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../files/private-files.js'

/** One acknowledged block waiting for the store: serialised rows and their deduplication token. */
export interface SpoolRecord {
  readonly token: string
  readonly body: string
}

export interface SpoolOptions {
  /** SPOOL_MAX_BYTES: most bytes waiting for the store; an append past it is refused. @default unlimited */
  readonly maxBytes?: number
}

const FORMAT_VERSION = 1
const SEGMENT_BYTES = 64 * 1024 * 1024
const SEGMENT = /^segment-(\d{12})\.log$/

/**
 * An append-only log on disk for blocks accepted while the store is unreachable. An append
 * returns only after the data is synced, so a 202 survives a crash. Records replay in append
 * order; the replayed position is kept beside each segment (`.pos`), and a fully replayed segment
 * is deleted. A record the store rejects for good moves to `rejected.log` instead of blocking the
 * rest, so nothing is lost either way. An append that fails (disk full) is cut back to where it
 * started, so a torn line never sits between two good ones.
 */
export class Spool {
  private appendHandle: fs.FileHandle | undefined
  private appendSegment: number | undefined
  private appendSize = 0
  private pending: number
  private waitingBytes: number
  private closed = false
  /** Appends run one after another (a hand-over at stop may append beside the drain loop). */
  private appending: Promise<unknown> = Promise.resolve()

  private constructor(
    private readonly dir: string,
    private segments: number[],
    pending: number,
    waitingBytes: number,
    private readonly maxBytes: number,
  ) {
    this.pending = pending
    this.waitingBytes = waitingBytes
  }

  static async open(dir: string, options: SpoolOptions = {}): Promise<Spool> {
    await ensurePrivateDir(dir)
    const segments = (await fs.readdir(dir))
      .map((name) => SEGMENT.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b)
    let pending = 0
    let bytes = 0
    for (const segment of segments) {
      const file = segmentPath(dir, segment)
      await dropTornTail(file)
      const content = await fs.readFile(file)
      const position = await readPosition(dir, segment)
      pending += countLines(content.subarray(position).toString('utf8'))
      bytes += Math.max(0, content.length - position)
    }
    return new Spool(dir, segments, pending, bytes, options.maxBytes ?? Number.POSITIVE_INFINITY)
  }

  /** Records appended and not yet replayed. */
  get backlog(): number {
    return this.pending
  }

  /** Bytes of those records on disk (what SPOOL_MAX_BYTES limits). */
  get bytes(): number {
    return this.waitingBytes
  }

  /**
   * Appends a record and syncs it to disk. A SpoolUnavailableError when the spool cannot keep
   * it (limit reached, disk full or not writable); nothing of the record stays behind then.
   */
  append(record: SpoolRecord): Promise<void> {
    const done = this.appending.then(() => this.appendNow(record))
    this.appending = done.catch(() => {})
    return done
  }

  private async appendNow(record: SpoolRecord): Promise<void> {
    if (this.closed) throw new Error('the spool is closed')
    const line = `${JSON.stringify({ v: FORMAT_VERSION, token: record.token, body: record.body })}\n`
    const size = Buffer.byteLength(line)
    if (this.waitingBytes + size > this.maxBytes) {
      throw new SpoolUnavailableError(
        'limit',
        `the spool holds ${this.waitingBytes} bytes and may hold ${this.maxBytes} (SPOOL_MAX_BYTES)`,
      )
    }
    let handle: fs.FileHandle | undefined
    try {
      handle = await this.handleFor(size)
      await handle.appendFile(line, 'utf8')
      await handle.datasync()
    } catch (error) {
      // Cut a partly written line off, so the next append does not glue itself to it.
      await handle?.truncate(this.appendSize).catch(() => {})
      const problem = diskProblemOf(error)
      if (!problem) throw error
      throw new SpoolUnavailableError(
        problem,
        problem === 'full'
          ? `no space left for the spool in ${this.dir}`
          : `the spool folder ${this.dir} is not writable (${(error as NodeJS.ErrnoException).code})`,
        { cause: error },
      )
    }
    this.appendSize += size
    this.pending += 1
    this.waitingBytes += size
  }

  /**
   * Hands records to `insert` in order. Stops at the first error `isRetryable` accepts (the store
   * is still away) and rethrows it; any other error quarantines that record and goes on. Stops
   * between records once `shouldStop` says so (the service is stopping) or the spool is closed:
   * what is left, including a record whose insert was still running, replays at the next start
   * under the same deduplication token.
   */
  async replay(
    insert: (record: SpoolRecord) => Promise<void>,
    isRetryable: (error: unknown) => boolean,
    shouldStop: () => boolean = () => false,
  ): Promise<number> {
    let replayed = 0
    while (this.segments.length > 0 && !this.closed) {
      const segment = this.segments[0] as number
      const file = segmentPath(this.dir, segment)
      const content = await fs.readFile(file)
      let position = await readPosition(this.dir, segment)
      while (position < content.length) {
        if (shouldStop() || this.closed) return replayed
        const end = content.indexOf(0x0a, position)
        if (end < 0) break
        const line = content.subarray(position, end).toString('utf8')
        try {
          await insert(parseRecord(line))
        } catch (error) {
          if (isRetryable(error)) throw error
          if (this.closed) return replayed
          await fs.appendFile(path.join(this.dir, 'rejected.log'), `${line}\n`, { mode: PRIVATE_FILE_MODE })
        }
        // Closed while the insert ran: the next start replays this record (same token, no duplicate).
        if (this.closed) return replayed
        this.waitingBytes -= end + 1 - position
        position = end + 1
        this.pending -= 1
        replayed += 1
        await fs.writeFile(positionPath(this.dir, segment), String(position), { mode: PRIVATE_FILE_MODE })
      }
      if (shouldStop() || this.closed) return replayed
      // Appended to since it was read (a hand-over at stop): read it again rather than delete it.
      if ((await fs.stat(file)).size > content.length) continue
      await this.retire(segment)
    }
    return replayed
  }

  /** Closes the segment being appended to; a replay still running stops before its next step. */
  async close(): Promise<void> {
    await this.appending
    this.closed = true
    await this.closeHandle()
  }

  private async closeHandle(): Promise<void> {
    await this.appendHandle?.close()
    this.appendHandle = undefined
  }

  private async handleFor(bytes: number): Promise<fs.FileHandle> {
    if (this.appendHandle && this.appendSize + bytes <= SEGMENT_BYTES) return this.appendHandle
    await this.closeHandle()
    const segment = (this.segments.at(-1) ?? 0) + 1
    this.appendHandle = await fs.open(segmentPath(this.dir, segment), 'a', PRIVATE_FILE_MODE)
    this.appendSegment = segment
    this.appendSize = 0
    this.segments.push(segment)
    return this.appendHandle
  }

  private async retire(segment: number): Promise<void> {
    if (segment === this.appendSegment) await this.closeHandle()
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
