/**
 * Array helpers that stay safe on arrays of any length. Spreading an array into a call's
 * arguments (`Math.max(...xs)`, `out.push(...xs)`) puts every element on the stack and throws
 * `RangeError: Maximum call stack size exceeded` past ~120,000 elements, so `src/` never does
 * it (`test/source-rules.test.ts` checks).
 */

/** Append every item of `items` to `target` (in place); returns `target`. */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The smallest and largest of `values` (both `empty` when there are none). */
export function minMax(values: Iterable<number>, empty = 0): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min > max ? { min: empty, max: empty } : { min, max };
}

/** The largest of `values`, or `empty` when there are none. */
export function maxOf(values: Iterable<number>, empty = 0): number {
  return minMax(values, empty).max;
}
