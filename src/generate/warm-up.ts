import type { CycloneDxVersion, FileListing, OutputFormat } from '../formats/registry.js';
import { warmUp } from './render.js';

/**
 * Loading what rendering needs (the writers, the CycloneDX library, the compiled schema
 * validators) while the source is scanned instead of after it. A tarball's scan leaves the main
 * thread waiting for the decompressor, and a directory's leaves it waiting for its reading thread
 * (complete profile) or is short: about 0.15 s off a release's tarball, 0.2 s off its unpacked
 * tree in the complete profile (1.89 against 2.09 s, medians of 9 alternating rounds), and no
 * slower for the python.org profile's tree scan, whose reading is all on the main thread (0.86
 * against 0.86 s).
 */
export interface RenderWarmUp {
  /** Called as the scan goes: the first call starts the warm-up (as RenderThreads.warmUp does in the threads). */
  warmUp(): void;
  /** Resolves once a started warm-up is done (at once if none was started). */
  ready(): Promise<void>;
}

export function renderWarmUp(formats: readonly OutputFormat[], cycloneDxVersion: CycloneDxVersion, files: FileListing): RenderWarmUp {
  let warm: Promise<void> | undefined;
  return {
    warmUp() {
      warm ??= warmUp(formats, cycloneDxVersion, files);
    },
    ready: async () => warm,
  };
}
