import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, between the big steps of a large `generate` (render a format, check
 * it). V8 lets garbage pile up while a heap is growing: three formats of a 100,000-file tree
 * peaked at 1.2 GB resident, against under 700 MB when each step's leftovers (the CycloneDX
 * library's models, the parsed copy a check reads back) are collected before the next step
 * allocates. Costs a fraction of a second, so callers use it only for large documents.
 */
let gc: (() => void) | undefined | null = null;

export function collectGarbage(): void {
  if (gc === null) {
    try {
      // --expose-gc set at run time makes a fresh context see `gc`; the main context does not.
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = undefined;
    }
  }
  gc?.();
}

/** Documents (characters) from which a collection between steps pays for itself. */
export const COLLECT_ABOVE = 8 * 1024 * 1024;
