/**
 * The simulator's only source of chance: sfc32 (a small, fast generator that passes PractRand)
 * seeded from a string hash. Same seed, same sequence, on every platform and Node version,
 * which `Math.random` cannot promise. Independent streams are generators with different keys
 * (`new Random(seed, 'person', 3)`), so a draw added to one person's day never shifts anyone else's.
 */
export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  /** A generator for the given key parts (seed, person index, purpose…). */
  constructor(...key: readonly (string | number)[]) {
    ;[this.a, this.b, this.c, this.d] = hash128(key.join('\u0000'))
    // Discard the first outputs: sfc32's state needs a few rounds to mix a weak seed.
    for (let i = 0; i < 12; i++) this.next()
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return (t >>> 0) / 4294967296
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min)
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(this.next() * items.length)] as T
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items]
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      ;[copy[i], copy[j]] = [copy[j] as T, copy[i] as T]
    }
    return copy
  }

  /** One of the entries, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0
    for (const [, weight] of entries) total += weight
    let r = this.next() * total
    for (const [value, weight] of entries) {
      r -= weight
      if (r < 0) return value
    }
    return (entries[entries.length - 1] as readonly [T, number])[0]
  }

  /** Normally distributed (Box–Muller), clamped to [min, max] when given. */
  normal(mean: number, sd: number, min = -Infinity, max = Infinity): number {
    const u = 1 - this.next()
    const v = this.next()
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    return Math.min(max, Math.max(min, mean + sd * z))
  }

  /**
   * Log-normally distributed around `median`: the shape of human pauses and load times (mostly
   * short, with a long tail). `spread` is the sigma of the underlying normal.
   */
  logNormal(median: number, spread: number, max = Infinity): number {
    return Math.min(max, median * Math.exp(this.normal(0, spread)))
  }

  /** How many events of a Poisson process with this mean (Knuth's method; means here are small). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean)
    let k = 0
    let p = this.next()
    while (p > limit) {
      k++
      p *= this.next()
    }
    return k
  }

  /** A version-4-shaped UUID made of this generator's output (request ids of simulated cascades). */
  uuid(): string {
    let hex = ''
    for (let i = 0; i < 8; i++)
      hex += Math.floor(this.next() * 65_536)
        .toString(16)
        .padStart(4, '0')
    const variant = (8 + Math.floor(this.next() * 4)).toString(16)
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`
  }
}

/** cyrb128: a fast 128-bit string hash, enough to spread nearby seeds ("1", "2") far apart. */
function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}
