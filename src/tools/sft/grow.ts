/** Growable typed arrays: per-record numbers for millions of records without object overhead. */

type Typed = Uint8Array | Uint16Array | Uint32Array;

export class GrowArray<T extends Typed> {
  length = 0;
  constructor(
    private data: T,
    private readonly make: (n: number) => T,
  ) {}

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(Math.max(1024, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  get(i: number): number {
    return this.data[i] as number;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }

  /** The filled part (a view, no copy). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export const growU8 = () => new GrowArray(new Uint8Array(1024), (n) => new Uint8Array(n));
export const growU32 = () => new GrowArray(new Uint32Array(1024), (n) => new Uint32Array(n));

/** Nearest-rank quantiles of `values` (sorted in place). */
export function summarize(values: Uint32Array): {
  min: number;
  median: number;
  p95: number;
  max: number;
} {
  if (values.length === 0) return { min: 0, median: 0, p95: 0, max: 0 };
  values.sort();
  const at = (q: number) =>
    values[Math.min(values.length - 1, Math.ceil(q * values.length) - 1)] as number;
  return {
    min: values[0] as number,
    median: at(0.5),
    p95: at(0.95),
    max: values[values.length - 1] as number,
  };
}
