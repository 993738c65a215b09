import type { Detector } from './types.js';

/**
 * Detectors of vendored components that find them from the tree itself (no manifest needed).
 * Each returns model packages owning the component's files. Where Misc/sbom.spdx.json exists,
 * their versions are checked against it; where it does not, they are the source of truth.
 */
export function vendoredDetectors(): Detector[] {
  return [];
}
