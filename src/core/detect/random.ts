/**
 * Seeded pseudo-random numbers for the detectors: xoshiro128** (Blackman & Vigna), seeded through
 * splitmix32 so that nearby seeds give unrelated streams. Pure 32-bit integer arithmetic, so the same
 * seed gives the same stream in Node, browsers and workers (and in scripts/sklearn_fixtures.py,
 * which mirrors it to regenerate the fixture data bit for bit).
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    // The all-zero state is a fixed point of xoshiro; splitmix32 makes it practically impossible, but be sure.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const m = Math.imul(s1, 5);
    const rotated = (m << 7) | (m >>> 25);
    const result = Math.imul(rotated, 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    const n1 = s1 ^ n2;
    const n0 = s0 ^ n3;
    this.s0 = n0 >>> 0;
    this.s1 = n1 >>> 0;
    this.s2 = (n2 ^ t) >>> 0;
    this.s3 = ((n3 << 11) | (n3 >>> 21)) >>> 0;
    return result;
  }

  /** Uniform in [0, 1), a multiple of 2^-32 (exactly representable, so reproducible everywhere). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.nextFloat();
  }

  /** Uniform integer in [0, n), n ≤ 2^32. */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  /** Standard normal deviate (Box–Muller; one value per call keeps the state simple). */
  nextGaussian(): number {
    // 1 - u keeps the log argument in (0, 1].
    const u = 1 - this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Approximately normal deviate from the sum of 12 uniforms (Irwin–Hall). Only exact additions, so
   * the value is bit-identical in any IEEE-754 language: used where Python must reproduce the data.
   */
  nextIrwinHall(): number {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += this.nextFloat();
    return sum - 6;
  }

  /**
   * Partial Fisher–Yates: moves a uniform sample of `k` distinct entries of `pool` into `pool[0..k)`.
   * Sampling without replacement in O(k) once the pool exists.
   */
  sampleInPlace(pool: Int32Array | Uint32Array, k: number): void {
    const n = pool.length;
    for (let i = 0; i < k; i++) {
      const j = i + this.nextInt(n - i);
      const tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
    }
  }
}

/** A seeded uniform [0, 1) generator as a plain function, for callers that only need floats. */
export function createRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.nextFloat();
}
