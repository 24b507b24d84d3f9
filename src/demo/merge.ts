interface Entry<T> {
  readonly item: T
  readonly stream: number
}

/**
 * Merges streams that are each in time order into one in time order (a binary heap keyed by each
 * stream's next item). Ties go to the stream listed first, so the merge is deterministic.
 */
export function* mergeByTime<T extends { readonly atMs: number }>(
  streams: readonly Iterator<T>[],
): Generator<T> {
  const heap: Entry<T>[] = []
  const at = (i: number) => heap[i] as Entry<T>
  const less = (i: number, j: number) => {
    const a = at(i)
    const b = at(j)
    return a.item.atMs < b.item.atMs || (a.item.atMs === b.item.atMs && a.stream < b.stream)
  }
  const swap = (i: number, j: number) => {
    const entry = at(i)
    heap[i] = at(j)
    heap[j] = entry
  }
  const pull = (stream: number) => {
    const next = (streams[stream] as Iterator<T>).next()
    if (next.done) return
    heap.push({ item: next.value, stream })
    for (let i = heap.length - 1; i > 0 && less(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1)
  }
  const removeTop = () => {
    const last = heap.pop() as Entry<T>
    if (heap.length === 0) return
    heap[0] = last
    for (let i = 0; ;) {
      let smallest = i
      for (const child of [2 * i + 1, 2 * i + 2]) {
        if (child < heap.length && less(child, smallest)) smallest = child
      }
      if (smallest === i) return
      swap(i, smallest)
      i = smallest
    }
  }

  streams.forEach((_, i) => pull(i))
  while (heap.length > 0) {
    const { item, stream } = at(0)
    removeTop()
    yield item
    pull(stream)
  }
}
