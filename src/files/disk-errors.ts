/** Why a file could not be written: the disk is full, or the process may not write there. */
export type DiskProblem = 'full' | 'unwritable'

const FULL = new Set(['ENOSPC', 'EDQUOT'])
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS'])

/** The disk problem a file-system error stands for; undefined for any other error. */
export function diskProblemOf(error: unknown): DiskProblem | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code
  if (typeof code !== 'string') return undefined
  if (FULL.has(code)) return 'full'
  if (UNWRITABLE.has(code)) return 'unwritable'
  return undefined
}
