import type { Finding as ModelFinding } from '../model/findings.js';
import type { Package } from '../model/types.js';
import type { ScanResult, ScannedFile } from '../source/types.js';

/** What every detector sees: the scanned tree and the bytes it asked for. */
export interface DetectContext {
  scan: ScanResult;
  /** Scanned regular files by path. */
  files: Map<string, ScannedFile>;
  /** Bytes of a file a detector declared in `wants`; undefined when absent or not requested. */
  content(path: string): Buffer | undefined;
  /** `3.13.15`, from Include/patchlevel.h. */
  cpythonVersion: string;
}

/** What can be wrong with a tree's facts (hash drift, version drift): exit 1, nothing written. */
export type DetectFindingKind = 'manifest-hash' | 'manifest-missing-file' | 'version-drift' | 'pip-bom-mismatch' | 'wheel-record' | 'other';

export type Finding = ModelFinding<DetectFindingKind>;

export interface Detection {
  /** Packages found; each owns the paths in its `files`. */
  packages: Package[];
  findings: Finding[];
  /** Things worth telling the user that do not fail the run. */
  warnings: string[];
}

/**
 * One vendored component (or family of them). Detectors run after a single scan of the tree;
 * `wants` names the files whose bytes they need so the scan can keep them.
 */
export interface Detector {
  name: string;
  wants(path: string): boolean;
  detect(context: DetectContext): Promise<Detection> | Detection;
}

export function emptyDetection(): Detection {
  return { packages: [], findings: [], warnings: [] };
}
