/**
 * Whether `promise` settled within `ms` (it goes on either way). Stops use it to wait for work in
 * flight without letting a hung dependency hold them past their budget.
 */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
    timer.unref()
  })
  const settled = promise.then(
    () => true as const,
    () => true as const,
  )
  try {
    return await Promise.race([settled, timeout])
  } finally {
    clearTimeout(timer)
  }
}
