import type { OutputFormat } from '../formats/registry.js';

/** The steps of a run, in order, as reported to `onProgress`. `write` belongs to the caller. */
export type GeneratePhase = 'scan' | 'detect' | 'render' | 'validate' | 'write';

export interface GenerateProgress {
  phase: GeneratePhase;
  /** `scan`: files (directory) or bytes (tarball) done so far, out of `total`. */
  done?: number;
  total?: number;
  /** `render` and `validate`: the format being worked on. */
  format?: OutputFormat;
}
