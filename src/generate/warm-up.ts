import { stat } from 'node:fs/promises';
import type { CycloneDxVersion, FileListing, OutputFormat } from '../formats/registry.js';
import { warmUp } from './render.js';

/**
 * Loading what rendering needs (the writers, the CycloneDX library, the compiled schema
 * validators) while the source is scanned instead of after it: about 0.15 s off a release's run,
 * since a tarball's scan leaves the main thread waiting for the decompressor. A directory's scan
 * keeps the main thread busy itself (there is nothing to wait for): warming up then would only
 * compete with it, and hold its memory longer, so it is not done.
 */
export interface RenderWarmUp {
  /** Called as the scan goes: the first call starts the warm-up (as RenderThreads.warmUp does in the threads). */
  warmUp(): void;
  /** Resolves once a started warm-up is done (at once if none was started). */
  ready(): Promise<void>;
}

export async function renderWarmUp(
  source: string,
  formats: readonly OutputFormat[],
  cycloneDxVersion: CycloneDxVersion,
  files: FileListing,
): Promise<RenderWarmUp> {
  const worthIt = !(await isDirectory(source));
  let warm: Promise<void> | undefined;
  return {
    warmUp() {
      if (worthIt) warm ??= warmUp(formats, cycloneDxVersion, files);
    },
    ready: async () => warm,
  };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    // The subject's own reader says what is wrong with the path.
    return false;
  }
}
