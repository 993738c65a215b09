import type { Fingerprint } from '../catalog/catalog.js';
import type { ScannedFile } from '../source/types.js';

export type FingerprintMatch =
  | { kind: 'exact'; fingerprint: Fingerprint }
  | { kind: 'none'; closest?: { fingerprint: Fingerprint; matching: number; total: number } };

/**
 * Identifies a release of a component whose files carry no version (libb2) by their content:
 * a fingerprint matches when the component's files are exactly the recorded ones, byte for
 * byte. Anything less is no match — a patched copy is not the release it came from — but the
 * closest fingerprint is reported so the message can say how far off the tree is.
 */
export function matchFingerprint(owned: readonly string[], files: ReadonlyMap<string, ScannedFile>, fingerprints: readonly Fingerprint[]): FingerprintMatch {
  let closest: { fingerprint: Fingerprint; matching: number; total: number } | undefined;
  for (const fingerprint of fingerprints) {
    const recorded = Object.entries(fingerprint.files);
    const matching = recorded.filter(([path, sha256]) => files.get(path)?.sha256 === sha256).length;
    const total = new Set([...recorded.map(([path]) => path), ...owned]).size;
    if (matching === total) return { kind: 'exact', fingerprint };
    if (!closest || matching > closest.matching) closest = { fingerprint, matching, total };
  }
  return closest ? { kind: 'none', closest } : { kind: 'none' };
}
