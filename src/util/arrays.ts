/**
 * Appends `items` to `target` one by one. `target.push(...items)` passes every item as an argument,
 * and an input-sized list (100,000 files, RECORD lines, evidence entries) overflows the call stack
 * ("Maximum call stack size exceeded"); `test/architecture/no-spread-calls.test.ts` keeps such
 * spreads out of src/.
 */
export function pushAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}

/** The smallest of `values`, or `fallback` when there is none; a loop, not `Math.min(...values)`. */
export function minOf(values: Iterable<number>, fallback: number): number {
  let min: number | undefined;
  for (const value of values) if (min === undefined || value < min) min = value;
  return min ?? fallback;
}

/** The largest of `values`, or `fallback` when there is none; a loop, not `Math.max(...values)`. */
export function maxOf(values: Iterable<number>, fallback: number): number {
  let max: number | undefined;
  for (const value of values) if (max === undefined || value > max) max = value;
  return max ?? fallback;
}
