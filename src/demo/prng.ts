/**
 * Seeded pseudo-random numbers for the demo city. No Math.random: the same seed gives the same city.
 * mulberry32 is small, fast and good enough for layout; `fork(label)` derives an independent stream per
 * concern so that a change in one module (e.g. more parts) does not reshuffle another (e.g. the streets).
 */

/** 32-bit FNV-1a of a string; used to mix labels into seeds. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Prng {
  private state: number;
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.state = this.seed ^ 0x9e3779b9;
    // warm up so that nearby seeds diverge
    for (let i = 0; i < 4; i++) this.next();
  }

  /** uniform in [0, 1) */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** uniform in [a, b) */
  range(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** integer in [a, b] inclusive */
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Prng.pick: empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** pick by weight; weights need not sum to 1 */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }

  /** a shuffled copy (Fisher–Yates) */
  shuffle<T>(items: readonly T[]): T[] {
    const a = items.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** an independent stream named by `label` */
  fork(label: string): Prng {
    return new Prng((this.seed ^ hashString(label)) >>> 0);
  }
}

/**
 * A smooth deterministic scalar field on the plane (metres): a sum of a few plane waves with random
 * directions and phases. Used to warp the lattice and to wiggle Voronoi boundaries.
 */
export function smoothField(
  rng: Prng,
  waves: { amplitude: number; wavelength: number }[],
): (x: number, y: number) => number {
  const terms = waves.map((w) => {
    const angle = rng.range(0, Math.PI * 2);
    const k = (Math.PI * 2) / w.wavelength;
    return { ax: Math.cos(angle) * k, ay: Math.sin(angle) * k, phase: rng.range(0, Math.PI * 2), amp: w.amplitude };
  });
  return (x, y) => {
    let v = 0;
    for (const t of terms) v += t.amp * Math.sin(t.ax * x + t.ay * y + t.phase);
    return v;
  };
}
