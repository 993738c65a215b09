import { readSbomFile } from '../formats/registry.js';
import { type VerifyReport, verifySource } from '../verify/index.js';

export type { VerifyReport, ChangedFile, ArtifactCheck } from '../verify/index.js';

export interface VerifyOptions {
  /** Globs of tree paths the SBOM leaves out on purpose (an overlay's `debian/**`). */
  exclude?: readonly string[];
  /** Called as the scan advances (files or bytes done, out of total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Holds a release tarball or source directory against an SBOM (path; SPDX or CycloneDX) that lists
 * its files with hashes. Mismatches are in the report (`ok: false`); an unreadable SBOM or source,
 * or an SBOM without files, throws an InputError.
 */
export async function verify(sbom: string, source: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const document = await readSbomFile(sbom);
  return verifySource(document, source, {
    exclude: [...(options.exclude ?? [])],
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
