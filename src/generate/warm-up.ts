import type { CycloneDxVersion, FileListing, OutputFormat } from '../formats/registry.js';
import { warmUp } from './render.js';

/**
 * Loading what rendering needs (the writers, the CycloneDX library, the compiled schema
 * validators) while the source is scanned instead of after it. A tarball's scan leaves the main
 * thread waiting for the decompressor, and a directory's leaves it waiting for its reading thread
 * (complete profile) or is short. About 0.15 s off a release's tarball. For its unpacked tree it
 * measured within noise in both profiles (README: Speed), and it is done there too so that the
 * warm-up does not depend on what the source is.
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
